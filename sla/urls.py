from django.urls import path

from . import views, views_policies

app_name = "sla"

urlpatterns = [
    path("sla/tickets/<int:number>/commitment/", views.commitment, name="commitment"),
    path("sla/tickets/<int:number>/holding-reply/", views.holding_reply, name="holding_reply"),
    path("sla/policies/", views_policies.policies, name="policies"),
    path("sla/policies/<int:pk>/", views_policies.edit_policy, name="edit_policy"),
]

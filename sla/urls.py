from django.urls import path

from . import views, views_calendars, views_policies

app_name = "sla"

urlpatterns = [
    path("sla/tickets/<int:number>/commitment/", views.commitment, name="commitment"),
    path("sla/tickets/<int:number>/holding-reply/", views.holding_reply, name="holding_reply"),
    path("sla/policies/", views_policies.policies, name="policies"),
    path("sla/policies/<int:pk>/", views_policies.edit_policy, name="edit_policy"),
    path("sla/calendars/", views_calendars.calendars, name="calendars"),
    path("sla/calendars/new/", views_calendars.calendar_edit, name="calendar_new"),
    path("sla/calendars/<int:pk>/", views_calendars.calendar_edit, name="calendar_edit"),
]

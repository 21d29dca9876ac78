from django.urls import path

from .views import calendars, commitments, policies

app_name = "sla"

urlpatterns = [
    path("sla/tickets/<int:number>/commitment/", commitments.commitment, name="commitment"),
    path("sla/tickets/<int:number>/holding-reply/", commitments.holding_reply, name="holding_reply"),
    path("sla/policies/", policies.policies, name="policies"),
    path("sla/policies/<int:pk>/", policies.edit_policy, name="edit_policy"),
    path("sla/calendars/", calendars.calendars, name="calendars"),
    path("sla/calendars/new/", calendars.calendar_edit, name="calendar_new"),
    path("sla/calendars/<int:pk>/", calendars.calendar_edit, name="calendar_edit"),
]

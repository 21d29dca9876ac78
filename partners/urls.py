from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partners/settings/", views.team_settings, name="settings"),
    path("tickets/<int:number>/partners/", views.start, name="start"),
    path("tickets/<int:number>/partners/<int:pk>/write/", views.write, name="write"),
    path(
        "tickets/<int:number>/partners/<int:pk>/partner-ticket/", views.partner_ticket, name="partner_ticket"
    ),
]

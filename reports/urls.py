"""Manager views (issue #7). Included at the root by helpdesk/urls.py, so paths carry full prefixes."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.csv", views.dashboard_csv, name="dashboard_csv"),
    path("reports/handover/", views.handover, name="handover"),
    path("reports/handover.csv", views.handover_csv, name="handover_csv"),
]

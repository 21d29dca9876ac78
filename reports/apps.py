from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Manager read models (dashboard, weekly handover): no models of its own."""

    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

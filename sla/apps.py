from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "SLA"

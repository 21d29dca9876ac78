from django.apps import AppConfig


class MacrosConfig(AppConfig):
    name = "macros"
    default_auto_field = "django.db.models.BigAutoField"

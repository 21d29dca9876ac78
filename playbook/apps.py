from django.apps import AppConfig


class PlaybookConfig(AppConfig):
    name = "playbook"
    verbose_name = "Playbook"
    default_auto_field = "django.db.models.BigAutoField"

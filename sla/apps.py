from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "SLA"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
        try:
            from tickets.panels import register_panel
        except ImportError:  # the workspace has no panel slot
            return
        register_panel("sla/panels/commitment.html")

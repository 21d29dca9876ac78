from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "SLA"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
        try:
            from tickets.panels import register_panel, register_reply_extension
        except ImportError:  # the workspace has no panel slot
            return
        from .commitments import commit_from_reply

        register_panel("sla/panels/commitment.html")
        register_reply_extension("sla/reply/next_update.html", commit_from_reply)

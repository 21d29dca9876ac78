from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "SLA"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import receivers
        from .display import forget_calendar_map
        from .models import BusinessCalendar, SlaPolicy

        receivers.connect()
        for model in (BusinessCalendar, SlaPolicy):
            post_save.connect(
                forget_calendar_map, sender=model, dispatch_uid=f"sla-map-save-{model.__name__}"
            )
            post_delete.connect(
                forget_calendar_map, sender=model, dispatch_uid=f"sla-map-delete-{model.__name__}"
            )
        m2m_changed.connect(
            forget_calendar_map, sender=BusinessCalendar.organizations.through, dispatch_uid="sla-map-orgs"
        )
        try:
            from tickets.panels import register_panel, register_reply_extension, register_time_left
        except ImportError:  # the workspace has no panel slot
            return
        from .commitments import commit_from_reply

        register_panel("sla/panels/commitment.html")
        register_reply_extension("sla/reply/next_update.html", commit_from_reply)
        from .display import time_left

        register_time_left(time_left)

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tickets import signals

        from . import receivers

        signals.event_recorded.connect(receivers.on_event, dispatch_uid="notifications.on_event")
        receivers.register_panels()

from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "escalation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tickets import signals

        from . import receivers

        signals.tier_changed.connect(receivers.on_tier_changed, dispatch_uid="escalation.on_tier_changed")
        receivers.register_panels()
        try:
            from tickets.panels import register_my_tiers
        except ImportError:
            return
        from .selectors import tiers_of

        register_my_tiers(tiers_of)

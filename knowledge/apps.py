from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_save

        from tickets import signals
        from tickets.models import Ticket, TicketEvent

        from . import receivers

        signals.public_reply.connect(receivers.on_public_reply, dispatch_uid="knowledge.on_public_reply")
        signals.status_changed.connect(receivers.on_status_changed, dispatch_uid="knowledge.on_status")
        m2m_changed.connect(
            receivers.on_tags_changed, sender=Ticket.tags.through, dispatch_uid="knowledge.on_tags"
        )
        post_save.connect(receivers.on_ticket_event, sender=TicketEvent, dispatch_uid="knowledge.on_event")
        receivers.register_panels()

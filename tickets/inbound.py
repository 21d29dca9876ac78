"""Messages from requesters (email or portal). Stored first, processed second (DESIGN §11): if processing
fails the stored row keeps the text and the error, and nothing the requester sent is dropped."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from . import services
from .errors import TicketError
from .models import Contact, InboundMessage, Ticket

log = logging.getLogger(__name__)


def receive(from_email: str, subject: str, body: str, ticket_number: int | None = None) -> InboundMessage:
    """Store the message and process it; returns the stored row (``ticket`` set once processed)."""
    row = InboundMessage.objects.create(
        from_email=from_email.strip().lower(),
        subject=(subject or "")[:250],
        body=body or "",
        ticket_number=ticket_number,
    )
    process(row.pk)
    row.refresh_from_db()
    return row


def process(inbound_id: int) -> int | None:
    """Turn a stored message into a reply or a new ticket; returns the ticket id."""
    try:
        with transaction.atomic():
            row = InboundMessage.objects.select_for_update().get(pk=inbound_id)
            if row.processed_at:
                return row.ticket_id
            contact, _ = Contact.objects.get_or_create(
                email=row.from_email, defaults={"name": row.from_email.split("@")[0]}
            )
            ticket = _target(row, contact)
            if ticket is not None:
                message = services.add_requester_reply(ticket, contact, row.body)
                ticket_id = message.ticket_id
            else:
                ticket_id = services.open_ticket(contact, row.subject or "(no subject)", row.body).pk
            row.ticket_id, row.processed_at, row.error = ticket_id, timezone.now(), ""
            row.save(update_fields=["ticket", "processed_at", "error"])
            return ticket_id
    except TicketError as exc:
        InboundMessage.objects.filter(pk=inbound_id).update(error=str(exc))
        log.warning("inbound %s not processed: %s", inbound_id, exc)
        return None


def _target(row: InboundMessage, contact: Contact) -> Ticket | None:
    """The ticket a message replies to, if the sender may reply to it."""
    if not row.ticket_number:
        return None
    ticket = Ticket.objects.filter(number=row.ticket_number).first()
    if ticket is None:
        return None
    same_org = contact.organization_id is not None and contact.organization_id == ticket.organization_id
    return ticket if (ticket.requester_id == contact.pk or same_org) else None

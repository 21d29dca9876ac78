"""Splitting an unrelated question out of a ticket (004 "Unrelated question on same ticket"): the
message becomes a new ticket, back in triage with the Helpdesk team."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tickets import services as ticket_services
from tickets.errors import InvalidInput
from tickets.models import Kind, Message, Team, Ticket, Visibility

from .services import HELPDESK_SLUG, clean_text


def split_ticket(
    *,
    ticket: Ticket,
    message: Message,
    actor: Any,
    subject: str,
    kind: str = Kind.QUESTION,
) -> Ticket:
    """Split the message with an unrelated question into a new ticket: new title, back in triage with
    the Helpdesk team and no agent, an internal note on both. The original message stays where it was
    (nothing is ever cut out of a conversation); the new ticket starts with its full text."""
    subject = clean_text(subject, "subject", "Give the new ticket its own title.")
    if message.ticket_id != ticket.pk:
        raise InvalidInput("That message is not on this ticket.", field="message")
    if message.visibility != Visibility.PUBLIC:
        raise InvalidInput("Internal notes cannot be split into a ticket for the requester.", field="message")
    if kind not in Kind.values:
        raise InvalidInput(f"Unknown kind {kind!r}.", field="kind")
    with transaction.atomic():
        locked = ticket_services.lock(ticket)
        requester = message.author_contact or locked.requester
        # by=None: the first message stays authored by the requester who wrote it.
        new = ticket_services.open_ticket(
            requester, subject, message.body, kind=kind, priority=locked.priority, split_from=locked
        )
        helpdesk = Team.objects.filter(slug=HELPDESK_SLUG).first()
        if helpdesk is not None:
            ticket_services.update_ticket(new, actor, team=helpdesk)
        ticket_services.record(new, "split_from", actor, number=locked.number, message=message.pk)
        ticket_services.record(locked, "split", actor, into=new.number, message=message.pk)
        ticket_services.add_note(
            new,
            actor,
            f"Split from #{locked.number} “{locked.subject}” because it was an "
            "unrelated question. Back in triage with no agent.",
        )
        ticket_services.add_note(
            locked,
            actor,
            f"Split the unrelated question into #{new.number} “{subject}”; please continue it there.",
        )
    new.refresh_from_db()
    return new

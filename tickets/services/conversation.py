"""The conversation: staff replies and internal notes (with the status after them and the reply
extensions), automatic notes, and the requester writing again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from tickets import extensions, mailing, outbox, signals
from tickets.errors import IllegalTransition, InvalidInput, check_body_length
from tickets.models import Contact, Message, MessageFormat, MessageKind, Status, Ticket, Tier, Visibility

from .core import lock, open_ticket, record, save_fields
from .status import REOPEN_ON_REPLY, TRANSITIONS, parse_hold_days, schedule_timer, transition

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def add_reply(
    ticket: Ticket,
    by: User | None,
    body: str,
    *,
    internal: bool = False,
    status: str | None = None,
    hold_days: Any = None,
    expected_version: int | None = None,
    kind: str | None = None,
    fmt: str = MessageFormat.PLAIN,
    locked: Ticket | None = None,
) -> Message:
    """A staff member's public reply or internal note, optionally changing the status in the same step.
    ``fmt``: how the body is written (the forms write Markdown); ``locked``: the ticket as the caller
    already locked it in this transaction (not read again)."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput(
            "Write something before sending." if not internal else "The note is empty.", field="body"
        )
    check_body_length(body)
    if status and status not in Status.values:
        raise InvalidInput(f"Unknown status {status!r}.", field="status")
    days = parse_hold_days(hold_days) if status == Status.HOLD else None
    now = timezone.now()
    with transaction.atomic():
        locked = locked or lock(ticket, expected_version)
        if locked.merged_into_id:
            target = Ticket.objects.filter(pk=locked.merged_into_id).values_list("number", flat=True).first()
            raise InvalidInput(f"This ticket was merged into #{target}: write there.", field="body")
        if locked.spam_at is not None and not internal:  # spam gets no answer (003)
            raise InvalidInput(
                "This ticket is marked as spam: nobody is answered. Choose “Not spam” first to reply.",
                field="body",
            )
        if status and status != locked.status and status not in TRANSITIONS[locked.status]:
            raise IllegalTransition(
                f"A ticket that is {locked.get_status_display()} cannot be moved to {Status(status).label}.",
                field="status",
            )
        message = Message.objects.create(
            ticket=locked,
            author_user=by,
            body=body,
            visibility=Visibility.INTERNAL if internal else Visibility.PUBLIC,
            kind=kind or (MessageKind.NOTE if internal else MessageKind.REPLY),
            format=fmt,
            email_message_id="" if internal else mailing.new_message_id(),  # the notice's, to thread replies
        )
        if internal:
            save_fields(locked)
            record(locked, "note_added", by, message=message.pk)
        else:
            locked.last_public_reply_at = now
            locked.first_response_at = locked.first_response_at or now
            fields = ["last_public_reply_at", "first_response_at"]
            if locked.status == Status.PENDING and status in (None, "", Status.PENDING):
                # 004: the reminders count from our latest answer, so a new answer restarts them.
                locked.reminders_sent = 0
                schedule_timer(locked, now)
                fields += ["reminders_sent", "next_action", "next_action_at"]
            save_fields(locked, *fields)
            record(locked, "replied", by, message=message.pk)
            outbox.notify_requester(locked, "reply", f"reply:{message.pk}", message.body, message=message)
            signals.public_reply.send(Ticket, ticket=locked, at=now, by=by, message=message)
        if status and status != locked.status:
            transition(locked, status, by=by, hold_days=days)
    return message


def send_reply(
    ticket: Ticket,
    by: User | None,
    body: str,
    *,
    internal: bool = False,
    status: str | None = None,
    hold_days: Any = None,
    expected_version: int | None = None,
    extras: Mapping[str, Any] | None = None,
    fmt: str = MessageFormat.PLAIN,
) -> Message:
    """What the reply form and the API send, in one transaction: the reply (or internal note), the
    status after it (with On hold's days), and what the installed reply extensions read from ``extras``
    (the SLA's "next update by" promise). A :class:`~tickets.errors.TicketError` from any step undoes
    them all. Triage first (issue #15 item 14): no public reply while the ticket waits for its triage
    decision — the triage lead's "Answer now" is the way to answer such a ticket straight away."""
    with transaction.atomic():
        locked = lock(ticket, expected_version)
        if not internal:
            check_triage_decided(locked)
        message = add_reply(
            ticket,
            by,
            body,
            internal=internal,
            status=status,
            hold_days=hold_days,
            expected_version=expected_version,
            fmt=fmt,
            locked=locked,
        )
        for extension in extensions.current().reply_extensions:
            extension.apply(ticket, by, extras or {}, internal=internal)
    return message


TRIAGE_FIRST = (
    "This ticket is still waiting for triage, so it cannot be answered publicly yet: a triage lead "
    "decides it first (or answers it with “Answer now” in the triage queue). An internal note is fine."
)


def check_triage_decided(ticket: Ticket) -> None:
    """The one rule for tickets in triage: decided first, answered after (workspace, API, bulk replies)."""
    if ticket.tier == Tier.TRIAGE:
        raise InvalidInput(TRIAGE_FIRST, field="body")


def add_note(ticket: Ticket, by: User | None, body: str, **kwargs: Any) -> Message:
    return add_reply(ticket, by, body, internal=True, **kwargs)


def add_system_note(locked: Ticket, body: str) -> Message:
    """An automatic internal note on a ticket the caller has locked."""
    return Message.objects.create(
        ticket=locked, visibility=Visibility.INTERNAL, kind=MessageKind.SYSTEM, body=body
    )


def add_requester_reply(ticket: Ticket, contact: Contact, body: str) -> Message:
    """The requester wrote. Pending/Waiting/Hold/Resolved go back to Open; a Closed ticket is not
    reopened: a new ticket linked to it is opened instead (004). Returns the stored message."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput("The message is empty.", field="body")
    now = timezone.now()
    with transaction.atomic():
        locked = lock(ticket)
        for _hop in range(10):  # merged: the requester's message lands on the ticket it was merged into
            if not locked.merged_into_id:
                break
            locked = lock(locked.merged_into_id)
        if locked.spam_at is not None:  # kept, but spam wakes nobody: no reopen, no notice
            message = Message.objects.create(ticket=locked, author_contact=contact, body=body)
            record(locked, "spam_message_kept", None, message=message.pk, contact=contact.pk)
            return message
        if locked.status == Status.CLOSED:
            new = open_ticket(
                contact,
                _follow_up_subject(locked.subject),
                body,
                kind=locked.kind,
                priority=locked.priority,
                follow_up_of=locked,
            )
            record(locked, "follow_up_opened", None, number=new.number)
            outbox.notify_requester(
                new,
                "follow_up_opened",
                f"follow_up_opened:{new.pk}",
                f"Hi {contact.name},\n\n#{locked.number} “{locked.subject}” was already closed, so "
                f"your message opened a new request, #{new.number}. We'll get back to you there."
                "\n\n— The support team",
            )
            if locked.assignee_id:  # whoever handled the old ticket hears that it came back
                outbox.notify_user(
                    new,
                    locked.assignee,
                    "follow_up_opened",
                    f"follow_up_opened:{new.pk}:owner",
                    f"{contact.name} wrote again about closed #{locked.number}: new ticket #{new.number}.",
                )
            return new.messages.get()
        message = Message.objects.create(ticket=locked, author_contact=contact, body=body)
        locked.last_requester_reply_at = now
        save_fields(locked, "last_requester_reply_at")
        record(locked, "requester_replied", None, message=message.pk, contact=contact.pk)
        if locked.status in REOPEN_ON_REPLY:
            transition(locked, Status.OPEN, note="")
        if locked.assignee_id:
            outbox.notify_user(
                locked,
                locked.assignee,
                "requester_replied",
                f"requester_replied:{message.pk}",
                f"{contact.name} replied on #{locked.number}.",
            )
        signals.requester_replied.send(Ticket, ticket=locked, at=now, message=message)
    return message


def _follow_up_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"[:200]

"""The status timers job (DESIGN §4): Pending reminders and auto-resolve, Resolved → Closed,
Waiting → Open, On hold → Open with a note. Due tickets are found through the partial index on
``next_action_at``, walked in id order in chunks; each ticket is locked with ``skip_locked`` and handled
in its own transaction by the same services a person uses. Every action moves ``next_action_at``
forward or clears it, so a second run — or a second worker at the same time — finds nothing to do."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helpdesk.batch import keyset_ids

from . import outbox, services
from .models import Message, MessageKind, NextAction, Status, Ticket, TicketEvent, Visibility
from .services.core import save_fields

log = logging.getLogger(__name__)

REMINDER_TEXT = (
    'Hi {name},\n\nWe wanted to make sure all is well with your request "{subject}" (#{number}). '
    "If you still need help, just reply to this message and we'll pick it up right away.\n\n"
    "— The support team"
)


RESOLVED_TEXT = (
    "Hi {name},\n\nWe haven't heard back about \"{subject}\" (#{number}), so we've marked it resolved. "
    "If you still need help, just reply to this message and it opens again.\n\n— The support team"
)


class MalformedTimer(Exception):
    pass


def run_due_status_timers(now: dt.datetime | None = None, chunk: int | None = None) -> dict[str, int]:
    now = now or timezone.now()
    chunk = chunk or settings.HELPDESK_TIMER_CHUNK
    counts = {"acted": 0, "skipped": 0, "failed": 0}
    for pk in keyset_ids(Ticket.objects.filter(next_action_at__lte=now), chunk):
        counts[_run_one(pk, now)] += 1
    return counts


def _run_one(pk: int, now: dt.datetime) -> str:
    try:
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("organization", "requester")
                .filter(pk=pk, next_action_at__lte=now)
                .first()
            )
            if ticket is None:
                return "skipped"  # done meanwhile, or another worker holds it
            _act(ticket, now)
            return "acted"
    except MalformedTimer as exc:
        log.warning("ticket %s: malformed timer skipped: %s", pk, exc)
        _disarm(pk, str(exc))
        return "failed"
    except Exception as exc:  # a transient error (database, mail, a receiver): try again later, not forever
        log.exception("ticket %s: timer action failed", pk)
        _retry_or_disarm(pk, now, f"{type(exc).__name__}: {exc}")
        return "failed"


def _act(ticket: Ticket, now: dt.datetime) -> None:
    action, status = ticket.next_action, ticket.status
    if action == NextAction.REMIND and status == Status.PENDING:
        ticket.reminders_sent += 1
        body = REMINDER_TEXT.format(name=ticket.requester.name, subject=ticket.subject, number=ticket.number)
        # The follow-up itself goes into the conversation (003), visible to agents and in the portal.
        Message.objects.create(
            ticket=ticket, visibility=Visibility.PUBLIC, kind=MessageKind.SYSTEM, body=body
        )
        outbox.notify_requester(
            ticket,
            "pending_reminder",
            f"remind:{ticket.pk}:{int(ticket.status_changed_at.timestamp())}:{ticket.reminders_sent}",
            body,
        )
        services.schedule_timer(ticket, now)
        save_fields(ticket, "reminders_sent", "next_action", "next_action_at")
        services.record(ticket, "reminder_sent", None, n=ticket.reminders_sent)
    elif action == NextAction.AUTO_RESOLVE and status == Status.PENDING:
        services.transition(
            ticket, Status.RESOLVED, note="Resolved automatically: no reply after the reminders."
        )
        outbox.notify_requester(
            ticket,
            "auto_resolved",
            f"auto_resolved:{ticket.pk}:{int(now.timestamp())}",
            RESOLVED_TEXT.format(name=ticket.requester.name, subject=ticket.subject, number=ticket.number),
        )
    elif action == NextAction.AUTO_CLOSE and status == Status.RESOLVED:
        services.transition(ticket, Status.CLOSED)
    elif action == NextAction.REOPEN and status == Status.WAITING:
        services.transition(ticket, Status.OPEN, note="No reply from the customer in time: back to Open.")
    elif action == NextAction.REOPEN and status == Status.HOLD:
        days = ticket.hold_days
        services.transition(
            ticket, Status.OPEN, note=f"The {days}-day hold has expired: back to Open automatically."
        )
    else:
        raise MalformedTimer(f"next_action {action!r} does not fit status {status!r}")


RETRY_AFTER = dt.timedelta(minutes=15)
MAX_FAILURES = 5  # within a day, then the timer is disarmed with a visible event


def _retry_or_disarm(pk: int, now: dt.datetime, reason: str) -> None:
    """Postpone a timer whose action failed unexpectedly; after MAX_FAILURES in a day, disarm it."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=pk).first()
        if ticket is None:
            return
        failures = TicketEvent.objects.filter(
            ticket_id=pk, verb="timer_failed", at__gte=now - dt.timedelta(days=1)
        )
        if failures.count() + 1 >= MAX_FAILURES:
            _disarm(pk, f"failed {MAX_FAILURES} times in a day; last: {reason}")
            return
        retry_at = now + RETRY_AFTER
        # Only the timer that failed: one re-armed meanwhile (a new status) keeps its own time.
        if not Ticket.objects.filter(pk=pk, next_action_at__lte=now).update(next_action_at=retry_at):
            return
        services.record(
            ticket,
            "timer_failed",
            None,
            action=ticket.next_action,
            reason=reason[:500],
            retry_at=retry_at.isoformat(),
        )


def _disarm(pk: int, reason: str) -> None:
    """Clear a timer that cannot run, with an event saying why, so it is neither retried forever nor lost."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=pk).first()
        if ticket is None:
            return
        action = ticket.next_action
        Ticket.objects.filter(pk=pk).update(next_action="", next_action_at=None)
        services.record(ticket, "timer_skipped", None, action=action, reason=reason[:500])

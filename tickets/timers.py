"""The status timers job (DESIGN §4): Pending reminders and auto-resolve, Resolved → Closed,
Waiting → Open, On hold → Open with a note. At the speed of SQL (issue #20 §5): each chunk of due tickets
(found through the partial index on ``next_action_at``, in id order) is claimed in one transaction with
``FOR UPDATE SKIP LOCKED`` — rows another worker holds are left to it — and acted on per action as a
batch, by the same batch services a person's action uses as a batch of one: one UPDATE of the tickets,
one INSERT each of messages, events and outbox rows, one broker kick when the chunk commits. Every action
moves ``next_action_at`` forward or clears it, so a second run — or a second worker at the same time —
finds nothing to do. A batch that fails is retried ticket by ticket (each in its own savepoint), so one
bad ticket is retried later or disarmed while the rest of its chunk goes on."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from playbook import params

from . import fragments, outbox, services
from .models import Message, MessageKind, NextAction, Status, Ticket, TicketEvent, Visibility
from .services.core import record_many, save_many

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
    counts = {"acted": 0, "skipped": 0, "failed": 0}  # skipped: kept for callers; locked rows are not seen
    last_id = 0
    while True:
        claimed, failures = _run_chunk(now, chunk, last_id)
        if not claimed:
            break
        last_id = claimed[-1]
        for pk, exc in failures:  # after the chunk committed: each in its own transaction
            if isinstance(exc, MalformedTimer):
                log.warning("ticket %s: malformed timer skipped: %s", pk, exc)
                _disarm(pk, str(exc))
            else:  # a transient error (database, mail, a receiver): try again later, not forever
                log.error("ticket %s: timer action failed", pk, exc_info=exc)
                _retry_or_disarm(pk, now, f"{type(exc).__name__}: {exc}")
        counts["acted"] += len(claimed) - len(failures)
        counts["failed"] += len(failures)
        if len(claimed) < chunk:
            break
    return counts


def _run_chunk(now: dt.datetime, chunk: int, last_id: int) -> tuple[list[int], list[tuple[int, Exception]]]:
    """Claim up to ``chunk`` due tickets after ``last_id`` and act on them in one transaction."""
    with transaction.atomic():
        tickets = list(
            _due(now)
            .filter(id__gt=last_id)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("id")[:chunk]
        )
        batches: dict[str, list[Ticket]] = {}
        failures: list[tuple[int, Exception]] = []
        for ticket in tickets:
            kind = _kind(ticket)
            if kind is None:
                failures.append(
                    (
                        ticket.pk,
                        MalformedTimer(
                            f"next_action {ticket.next_action!r} does not fit status {ticket.status!r}"
                        ),
                    )
                )
            else:
                batches.setdefault(kind, []).append(ticket)
        for kind, batch in batches.items():
            failures += _act_batch(kind, batch, now)
    return [t.pk for t in tickets], failures


def _due(now: dt.datetime) -> QuerySet[Ticket]:
    return Ticket.objects.filter(next_action_at__lte=now).select_related("organization", "requester")


def _kind(ticket: Ticket) -> str | None:
    """Which batch action a due ticket takes; None for a timer that does not fit its status."""
    return KINDS.get((ticket.next_action, ticket.status))


def _act_batch(kind: str, batch: list[Ticket], now: dt.datetime) -> list[tuple[int, Exception]]:
    """The whole batch in one savepoint; if it fails, each ticket alone (re-read, still locked by us)."""
    try:
        with transaction.atomic():
            _act(kind, batch, now)
        return []
    except Exception as exc:
        if len(batch) == 1:
            return [(batch[0].pk, exc)]
    failures: list[tuple[int, Exception]] = []
    for ticket in _due(now).filter(pk__in=[t.pk for t in batch]).order_by("id"):
        try:
            with transaction.atomic():
                _act(kind, [ticket], now)
        except Exception as exc:
            failures.append((ticket.pk, exc))
    return failures


def _act(kind: str, tickets: list[Ticket], now: dt.datetime) -> None:
    if kind == "remind":
        _remind(tickets, now)
    elif kind == "auto_resolve":
        services.transition_many(
            tickets, Status.RESOLVED, note="Resolved automatically: no reply after the reminders."
        )
        outbox.notify_requesters(
            [
                (
                    t,
                    "auto_resolved",
                    f"auto_resolved:{t.pk}:{int(now.timestamp())}",
                    RESOLVED_TEXT.format(name=t.requester.name, subject=t.subject, number=t.number),
                )
                for t in tickets
            ]
        )
    elif kind == "auto_close":
        services.transition_many(tickets, Status.CLOSED)
    elif kind == "reopen_waiting":
        services.transition_many(
            tickets, Status.OPEN, note="No reply from the customer in time: back to Open."
        )
    elif kind == "reopen_hold":
        services.transition_many(
            tickets,
            Status.OPEN,
            note=lambda t: f"The {t.hold_days}-day hold has expired: back to Open automatically.",
        )


def _remind(tickets: list[Ticket], now: dt.datetime) -> None:
    """Pending reminders: the follow-up goes into the conversation (003), visible to agents and in the
    portal, and to the requester by email (one notice per reminder cycle)."""
    values = params.current()
    bodies = []
    for ticket in tickets:
        ticket.reminders_sent += 1
        bodies.append(
            REMINDER_TEXT.format(name=ticket.requester.name, subject=ticket.subject, number=ticket.number)
        )
        services.schedule_timer(ticket, now, values)
    Message.objects.bulk_create(
        [
            Message(ticket=t, visibility=Visibility.PUBLIC, kind=MessageKind.SYSTEM, body=body)
            for t, body in zip(tickets, bodies, strict=True)
        ]
    )
    fragments.messages_written([t.pk for t in tickets])  # no signal from a bulk insert
    outbox.notify_requesters(
        [
            (
                t,
                "pending_reminder",
                f"remind:{t.pk}:{int(t.status_changed_at.timestamp())}:{t.reminders_sent}",
                body,
            )
            for t, body in zip(tickets, bodies, strict=True)
        ]
    )
    save_many(tickets, "reminders_sent", "next_action", "next_action_at")
    record_many([(t, "reminder_sent", None, {"n": t.reminders_sent}) for t in tickets])


KINDS = {
    (NextAction.REMIND, Status.PENDING): "remind",
    (NextAction.AUTO_RESOLVE, Status.PENDING): "auto_resolve",
    (NextAction.AUTO_CLOSE, Status.RESOLVED): "auto_close",
    (NextAction.REOPEN, Status.WAITING): "reopen_waiting",
    (NextAction.REOPEN, Status.HOLD): "reopen_hold",
}


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

"""The status machine (DESIGN §3): which moves are legal, the timers each status starts, and the move
itself. Any move not listed is illegal; a Closed ticket may only be reopened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from playbook import params
from tickets import fragments, signals
from tickets.errors import IllegalTransition, InvalidInput
from tickets.models import FINISHED_STATUSES, Message, MessageKind, NextAction, Status, Ticket, Visibility

from .core import is_user, lock, one_write, record_many

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_WORKING = {
    Status.OPEN,
    Status.PENDING,
    Status.WAITING,
    Status.HOLD,
    Status.REVIEW,
    Status.RESOLVED,
    Status.CLOSED,
}
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.OPEN: frozenset(_WORKING - {Status.OPEN}),
    Status.REVIEW: frozenset(_WORKING - {Status.REVIEW}),
    Status.PENDING: frozenset(_WORKING - {Status.PENDING}),
    Status.WAITING: frozenset(_WORKING - {Status.WAITING}),
    Status.HOLD: frozenset(_WORKING - {Status.HOLD}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.REVIEW, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.OPEN}),
}
# A requester reply moves these back to Open (004 "Ticket Statuses").
REOPEN_ON_REPLY = {Status.PENDING, Status.WAITING, Status.HOLD, Status.RESOLVED}
MAX_HOLD_DAYS = 365


def timer_days(ticket: Ticket, key: str, values: Mapping[str, Any] | None = None) -> int:
    """A timer length in days: the organization's override, else the playbook's value (screen or settings).
    ``values``: the playbook values already read for a batch (``params.current()``)."""
    org = ticket.organization
    override = getattr(org, key, None) if org is not None else None
    if override is not None:
        return int(override)
    return int(values[key] if values is not None else params.get(key))


def schedule_timer(ticket: Ticket, now: dt.datetime, values: Mapping[str, Any] | None = None) -> None:
    """Set ``next_action``/``next_action_at`` for the ticket's current status (not saved)."""
    days = None
    action = ""
    if ticket.status == Status.PENDING:
        if ticket.reminders_sent < timer_days(ticket, "pending_reminders", values):
            action, days = NextAction.REMIND, timer_days(ticket, "pending_reminder_days", values)
        else:
            action, days = NextAction.AUTO_RESOLVE, timer_days(ticket, "pending_resolve_days", values)
    elif ticket.status == Status.RESOLVED:
        action, days = NextAction.AUTO_CLOSE, timer_days(ticket, "resolved_close_days", values)
    elif ticket.status == Status.WAITING:
        action, days = NextAction.REOPEN, timer_days(ticket, "waiting_reopen_days", values)
    elif ticket.status == Status.HOLD:
        action, days = NextAction.REOPEN, ticket.hold_days
    ticket.next_action = action
    ticket.next_action_at = now + dt.timedelta(days=days) if action else None


def change_status(
    ticket: Ticket,
    to: str,
    *,
    by: User | None = None,
    note: str = "",
    hold_days: Any = None,
    expected_version: int | None = None,
) -> Ticket:
    """Move a ticket to status ``to``; raises InvalidInput/IllegalTransition/StaleTicket, storing nothing."""
    if to not in Status.values:
        raise InvalidInput(f"Unknown status {to!r}.", field="status")
    days = parse_hold_days(hold_days) if to == Status.HOLD else None
    with transaction.atomic():
        locked = lock(ticket, expected_version)
        transition(locked, to, by=by, note=note, hold_days=days)
    return locked


def parse_hold_days(raw: Any) -> int:
    """On hold's number of days, 1 to MAX_HOLD_DAYS."""
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput("On hold needs a number of days.", field="hold_days") from None
    if not 1 <= days <= MAX_HOLD_DAYS:
        raise InvalidInput(f"On hold needs between 1 and {MAX_HOLD_DAYS} days.", field="hold_days")
    return days


def transition(
    locked: Ticket, to: str, *, by: User | None = None, note: str = "", hold_days: int | None = None
) -> None:
    """The status change itself, on a ticket already locked by the caller (a batch of one)."""
    transition_many([locked], to, by=by, note=note, hold_days=hold_days)


_MOVED_FIELDS = (
    "status",
    "status_changed_at",
    "hold_days",
    "reminders_sent",
    "resolved_at",
    "closed_at",
    "next_action",
    "next_action_at",
)


def transition_many(
    lockeds: Sequence[Ticket],
    to: str,
    *,
    by: User | None = None,
    note: str | Callable[[Ticket], str] = "",
    hold_days: int | None = None,
) -> None:
    """Move tickets already locked by the caller to ``to``: one INSERT of the events and one of the notes
    for the whole batch, ONE ``status_changed_many`` for the batch, then ONE UPDATE of the tickets that
    also writes what the receivers set on them (the SLA band and deadlines: ``services.write_unversioned``)
    — each ticket row written once. ``note`` may be a function of the ticket. Any illegal move raises
    before anything is written."""
    olds = [locked.status for locked in lockeds]
    for old in olds:
        if to not in TRANSITIONS[old]:
            raise IllegalTransition(
                f"A ticket that is {Status(old).label} cannot be moved to {Status(to).label}.", field="status"
            )
    notes = [note(locked) if callable(note) else note for locked in lockeds]  # of the ticket before the move
    now = timezone.now()
    values = params.current() if len(lockeds) > 1 else None
    for locked, old in zip(lockeds, olds, strict=True):
        _moved(locked, old, to, now, hold_days, values)
    with one_write(lockeds, *_MOVED_FIELDS):  # the receivers' SLA fields go into the same UPDATE
        record_many(
            [
                (locked, "status_changed", by, _event_data(old, to, hold_days, text))
                for locked, old, text in zip(lockeds, olds, notes, strict=True)
            ]
        )
        _write_notes(lockeds, notes, by)
        if lockeds:
            signals.status_changed_many.send(Ticket, tickets=list(lockeds), olds=olds, at=now, by=by, new=to)


def _write_notes(lockeds: Sequence[Ticket], notes: Sequence[str], by: User | None) -> None:
    author = by if is_user(by) else None
    written = Message.objects.bulk_create(
        [
            Message(
                ticket=locked,
                author_user=author,
                visibility=Visibility.INTERNAL,
                kind=MessageKind.SYSTEM if by is None else MessageKind.NOTE,
                body=text.strip(),
            )
            for locked, text in zip(lockeds, notes, strict=True)
            if text.strip()
        ]
    )
    fragments.messages_written({m.ticket_id for m in written})  # no signal from a bulk insert


def _event_data(old: str, to: str, hold_days: int | None, note: str) -> dict[str, Any]:
    return {"old": old, "new": to, "hold_days": hold_days, "note": note or None}


def _moved(
    locked: Ticket,
    old: str,
    to: str,
    now: dt.datetime,
    hold_days: int | None,
    values: Mapping[str, Any] | None,
) -> None:
    locked.status = to
    locked.status_changed_at = now
    locked.hold_days = hold_days if to == Status.HOLD else None
    if to == Status.PENDING:
        locked.reminders_sent = 0
    if to == Status.RESOLVED:
        locked.resolved_at = now
    if to == Status.CLOSED:
        locked.closed_at = now
    if to == Status.OPEN and old in FINISHED_STATUSES:
        locked.resolved_at = locked.closed_at = None
    schedule_timer(locked, now, values)

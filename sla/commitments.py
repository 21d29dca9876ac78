"""Commitments (seed 000 "Stick to your commitments"): a public update may promise "next update by
<time>". The owner is reminded once before it is due; when it is missed the ticket is flagged
(``commitment_missed``), an event is written and the owner told, once. Any public reply settles it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from playbook import params
from tickets.errors import InvalidInput
from tickets.models import FINISHED_STATUSES, Notification, Ticket, TicketEvent
from tickets.services import lock, record, record_many

from .business_time import add_business_time, next_working_instant
from .calendars import business_day_seconds
from .clock import write_ticket, write_tickets
from .display import organization_week
from .models import TicketSlaState

log = logging.getLogger(__name__)

MAX_AHEAD = dt.timedelta(days=60)
_CLEAR = {"commitment_due_at": None, "commitment_reminded_at": None, "commitment_missed": False}


def reminder_lead() -> dt.timedelta:
    """How long before a commitment is due its owner is reminded (setting SLA_COMMITMENT_REMINDER_MINUTES)."""
    return dt.timedelta(minutes=params.get("commitment_reminder_minutes"))


# --- writes from people -------------------------------------------------------------------------------


def set_commitment(ticket: Ticket, by: Any, due_at: Any, *, now: dt.datetime | None = None) -> Ticket:
    """Promise the requester the next update by ``due_at``; replaces any earlier promise."""
    now = now or timezone.now()
    if not isinstance(due_at, dt.datetime):
        raise InvalidInput("Give the date and time of the next update.", field="due_at")
    if timezone.is_naive(due_at):
        raise InvalidInput("The time needs a time zone.", field="due_at")
    if due_at <= now:
        raise InvalidInput("The next update must be promised for a time in the future.", field="due_at")
    if due_at > now + MAX_AHEAD:
        raise InvalidInput("Promise an update within the next 60 days.", field="due_at")
    with transaction.atomic():
        locked = lock(ticket)
        if locked.status in FINISHED_STATUSES:
            raise InvalidInput(
                f"A {locked.get_status_display()} ticket needs no promised update.", field="due_at"
            )
        if locked.commitment_missed:
            # 000: never miss a promise silently — a new date alone would hide the missed one.
            raise InvalidInput(
                "The last promised update was missed: reply to the requester first (the reply "
                "form can carry the new “next update by”).",
                field="due_at",
            )
        write_ticket(locked, commitment_due_at=due_at, commitment_reminded_at=None, commitment_missed=False)
        TicketSlaState.objects.update_or_create(
            ticket=locked, defaults={"commitment_by": by, "commitment_set_at": now}
        )
        record(locked, "commitment_set", by, due_at=due_at.isoformat())
    return locked


def commit_from_reply(ticket: Ticket, by: Any, data: Any, *, internal: bool) -> None:
    """The reply form's "next update by" (registered as a workspace reply extension): the promise is made
    in the reply's own transaction, so a bad choice undoes the reply too and the agent sees why."""
    raw = str(data.get("next_update") or "").strip()
    if not raw:
        return
    if internal:
        raise InvalidInput(
            "A promised update goes with a public reply: switch to Public reply, or choose “No promise”.",
            field="next_update",
        )
    try:
        due = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            "That “next update by” choice is not a time; choose again.", field="next_update"
        ) from None
    set_commitment(ticket, by, due if timezone.is_aware(due) else timezone.make_aware(due))


def quick_picks(ticket: Ticket, now: dt.datetime | None = None) -> list[tuple[str, dt.datetime]]:
    """The form's quick choices in the requester's calendar: end of (the working) day, the next working
    day at 10:00 (not a Saturday or a holiday), in 2 business days."""
    from zoneinfo import ZoneInfo

    now = now or timezone.now()
    week = organization_week(ticket.organization_id)
    tz = ZoneInfo(week.tz)
    today = now.astimezone(tz).date()
    start = next_working_instant(now, week)
    local = start.astimezone(tz)
    shifts = week.shifts[local.weekday()]
    day_end = shifts[-1][1] if shifts else dt.time(17)  # the end of the day's last shift
    end_of_day = dt.datetime.combine(
        local.date() + dt.timedelta(days=day_end == dt.time(0)), day_end, tzinfo=tz
    )
    if end_of_day <= now:
        end_of_day = now + dt.timedelta(hours=1)
    end_label = "End of day" if local.date() == today else f"End of {local:%A}"
    after_today = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    next_day = next_working_instant(after_today, week).astimezone(tz).date()
    at_ten = dt.datetime.combine(next_day, dt.time(10), tzinfo=tz)
    ten_label = "Tomorrow 10:00" if next_day == today + dt.timedelta(days=1) else f"{next_day:%A} 10:00"
    two_days = add_business_time(now, 2 * business_day_seconds(week), week)
    return [(end_label, end_of_day), (ten_label, at_ten), ("In 2 business days", two_days)]


# --- from the receivers (inside the ticket service's transaction) --------------------------------------


def settle(ticket: Ticket, at: dt.datetime, by: Any) -> None:
    """A public reply settles the open (or missed) commitment."""
    if ticket.commitment_due_at is None and not ticket.commitment_missed:
        return
    on_time = (
        not ticket.commitment_missed
        and ticket.commitment_due_at is not None
        and at <= ticket.commitment_due_at
    )
    record(
        ticket,
        "commitment_settled",
        by,
        due_at=ticket.commitment_due_at.isoformat() if ticket.commitment_due_at else None,
        on_time=on_time,
    )
    write_ticket(ticket, **_CLEAR)


def drop(ticket: Ticket, by: Any) -> None:
    """A resolved or closed ticket needs no promised update any more."""
    drop_many([ticket], by)


def drop_many(tickets: Sequence[Ticket], by: Any) -> None:
    """``drop`` for a batch: one INSERT of the events and one UPDATE of the tickets that had a promise."""
    promised = [t for t in tickets if t.commitment_due_at is not None or t.commitment_missed]
    if not promised:
        return
    record_many([(t, "commitment_dropped", by, {"status": t.status}) for t in promised])
    write_tickets(promised, [_CLEAR] * len(promised))  # in a status move, its own UPDATE


# --- the job --------------------------------------------------------------------------------------------


def check_commitments(now: dt.datetime | None = None, chunk: int = 500) -> dict[str, int]:
    """Remind owners of commitments due within the lead time, flag the missed ones (each once)."""
    now = now or timezone.now()
    due_soon = Q(
        commitment_due_at__gt=now,
        commitment_due_at__lte=now + reminder_lead(),
        commitment_reminded_at__isnull=True,
        commitment_missed=False,
    )
    missed = Q(commitment_due_at__lte=now, commitment_missed=False)
    return {
        "reminded": _run(due_soon, now, chunk, "commitment_reminder", {"commitment_reminded_at": now}),
        "missed": _run(missed, now, chunk, "commitment_missed", {"commitment_missed": True}),
    }


_TEXT = {
    "commitment_reminder": "You promised the requester of #{number} an update by {due}. It is due soon.",
    "commitment_missed": (
        "The update promised on #{number} by {due} was not sent. Reply to the requester now, "
        "even if only to say why: a commitment is never missed silently."
    ),
}


def _run(predicate: Q, now: dt.datetime, chunk: int, reason: str, update: dict[str, Any]) -> int:
    done, last_id = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(predicate, id__gt=last_id)
                .order_by("id")
                .values_list("id", "number", "subject", "assignee_id", "commitment_due_at")[:chunk]
            )
            if not rows:
                return done
            last_id = rows[-1][0]
            ids = [r[0] for r in rows]
            Ticket.objects.filter(id__in=ids).update(**update)
            setters = dict(
                TicketSlaState.objects.filter(ticket_id__in=ids).values_list("ticket_id", "commitment_by")
            )
            TicketEvent.objects.bulk_create(
                [
                    TicketEvent(ticket_id=pk, verb=reason, data={"due_at": due.isoformat()})
                    for pk, _n, _s, _a, due in rows
                ]
            )
            _notify(rows, setters, reason)
            done += len(rows)
        if len(rows) < chunk:
            return done


def _notify(rows: list[tuple], setters: dict[int, int | None], reason: str) -> None:
    notes = []
    for pk, number, subject, assignee_id, due in rows:
        owner = assignee_id or setters.get(pk)
        if owner is None:
            continue
        due_text = timezone.localtime(due).strftime("%a %d %b %H:%M")
        notes.append(
            Notification.in_app(
                ticket_id=pk,
                recipient_user_id=owner,
                reason=reason,
                subject=f"[#{number}] {subject}"[:250],
                body=_TEXT[reason].format(number=number, due=due_text),
                dedupe_key=f"{reason}:{pk}:{int(due.timestamp())}",
            )
        )
    if notes:
        Notification.objects.bulk_create(notes, ignore_conflicts=True)

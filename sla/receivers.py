"""Receivers of the ticket domain signals (DESIGN §9): they run inside the ticket service's
transaction, with the ticket row locked, and keep the SLA clock, the nudge/holding timers and the
commitment in step. An exception raised here propagates to the sender and rolls the whole change back:
SLA bookkeeping never silently falls out of step with the ticket."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from playbook import params
from tickets.models import (
    ACTIVE_STATUSES,
    FINISHED_STATUSES,
    PAUSED_STATUSES,
    SUPPORT_TEAM,
    MessageKind,
    Team,
    Ticket,
    Tier,
)

from . import clock
from .business_time import add_business_time
from .calendars import business_day_seconds
from .display import organization_week
from .models import TicketSlaState

HOLDING_TIER = Tier.T3


def holding_days() -> int:
    """Business days before the holding reply is offered (the playbook's value, default 2)."""
    return params.get("holding_reply_business_days")


def _set_timers(ticket: Ticket, at: dt.datetime, *, nudge: bool = True, holding: bool = True) -> None:
    """Restart the stale-ticket nudge (002) and, in T3, the holding-reply offer (004) from ``at``."""
    _set_timers_many([ticket], at, nudge=nudge, holding=holding)


def _set_timers_many(
    tickets: Sequence[Ticket], at: dt.datetime, *, nudge: bool = True, holding: bool = True
) -> None:
    """``_set_timers`` for a batch: one upsert of the timer rows. Each organization's working week comes
    from the cached calendar map (``sla/display.py``, retired on every calendar change): a nudge timer
    needs no query of its own."""
    weeks: dict[int | None, Any] = {}

    def days_after(ticket: Ticket, days: float) -> dt.datetime:
        org = ticket.organization_id
        if org not in weeks:
            weeks[org] = organization_week(org)
        return add_business_time(at, days * business_day_seconds(weeks[org]), weeks[org])

    rows = []
    for ticket in tickets:
        fields: dict[str, Any] = {}
        if nudge:
            fields["nudge_due_at"] = days_after(ticket, params.get("stale_nudge_business_days"))
        if holding:
            in_t3 = ticket.tier == HOLDING_TIER and ticket.status not in FINISHED_STATUSES
            fields["holding_due_at"] = days_after(ticket, holding_days()) if in_t3 else None
            fields["holding_offered_at"], fields["holding_reply"] = None, ""
        rows.append(TicketSlaState(ticket=ticket, **fields))
    names = [*(["nudge_due_at"] if nudge else []), *(_HOLDING_FIELDS if holding else [])]
    if rows and names:
        TicketSlaState.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["ticket"], update_fields=names
        )


_HOLDING_FIELDS = ["holding_due_at", "holding_offered_at", "holding_reply"]


def _clear_timers(tickets: Sequence[Ticket]) -> None:
    TicketSlaState.objects.filter(ticket__in=[t.pk for t in tickets]).update(
        nudge_due_at=None, holding_due_at=None, holding_offered_at=None, holding_reply=""
    )


def in_view(ticket: Ticket) -> bool:
    """Whether a tier's queue shows the ticket, so its SLA should count: not once triage decided it
    without approving it to a tier (rerouted, chargeable …), nor while another team owns it."""
    if ticket.tier == Tier.TRIAGE and ticket.triage_decision:
        return False
    return ticket.team_id is None or Team.objects.filter(pk=ticket.team_id, slug=SUPPORT_TEAM).exists()


def on_ticket_created(ticket: Ticket, at: dt.datetime, by: Any = None, **_: Any) -> None:
    clock.start(ticket, at, by)
    _set_timers(ticket, at)


def on_tier_changed(ticket: Ticket, at: dt.datetime, by: Any = None, **_: Any) -> None:
    clock.stop(ticket, at, "left_tier", by)
    if ticket.status not in FINISHED_STATUSES:
        clock.start(ticket, at, by)
        _set_timers(ticket, at, nudge=False)


def on_public_reply(ticket: Ticket, at: dt.datetime, by: Any = None, message: Any = None, **_: Any) -> None:
    """The tier responded. A transition comment ("we've escalated this") is an update for the requester
    (nudges, commitments) but not the tier's answer: the tier change that follows stops that clock."""
    if getattr(message, "kind", "") != MessageKind.TRANSITION:
        clock.stop(ticket, at, "responded", by)
    _set_timers(ticket, at)
    from .commitments import settle

    settle(ticket, at, by)


def on_status_changed_many(
    tickets: Sequence[Ticket],
    olds: Sequence[str],
    at: dt.datetime,
    by: Any = None,
    new: str = "",
    **_: Any,
) -> None:
    """A batch of tickets moved to ``new`` (a sweep's chunk, or a person's change as a batch of one): the
    clocks stop, pause or resume set-based — one read and one write of the clocks for the whole batch."""
    if new in FINISHED_STATUSES:
        from .commitments import drop_many

        clock.stop_many(tickets, at, new, by)
        _clear_timers(tickets)
        drop_many(tickets, by)
        return
    moved = list(zip(tickets, olds, strict=True))
    if new in PAUSED_STATUSES:
        clock.pause_many([t for t, old in moved if old in ACTIVE_STATUSES], at, by)
    elif new in ACTIVE_STATUSES:
        resumed = [t for t, old in moved if old in PAUSED_STATUSES]
        clock.resume_many(resumed, at, by)
        _set_timers_many(resumed, at, holding=False)
        for ticket in [t for t, old in moved if old in FINISHED_STATUSES]:
            if clock.running_clock(ticket) is None and in_view(
                ticket
            ):  # reopened: the question is open again
                clock.start(ticket, at, by)
            _set_timers(ticket, at)


def on_requester_replied(ticket: Ticket, at: dt.datetime, **_: Any) -> None:
    """A new question after the tier had responded: a new clock in the same tier."""
    if ticket.status in ACTIVE_STATUSES and clock.running_clock(ticket) is None and in_view(ticket):
        clock.start(ticket, at, None)
        state = TicketSlaState.objects.filter(ticket=ticket).first()
        if state is None or (state.holding_due_at is None and ticket.tier == HOLDING_TIER):
            _set_timers(ticket, at, nudge=state is None)


def on_left_queue(ticket: Ticket, at: dt.datetime, by: Any = None, **_: Any) -> None:
    clock.stop(ticket, at, "left_view", by)
    _clear_timers([ticket])


def on_spam_changed(ticket: Ticket, at: dt.datetime, by: Any = None, spam: bool = False, **_: Any) -> None:
    """Spam is out of every queue: its clock stops. "Not spam": an unfinished ticket counts again."""
    if spam:
        on_left_queue(ticket, at, by)
        return
    if ticket.status in FINISHED_STATUSES or not in_view(ticket) or clock.running_clock(ticket) is not None:
        return
    clock.start(ticket, at, by)
    if ticket.status in PAUSED_STATUSES:
        clock.pause(ticket, at, by)
    _set_timers(ticket, at)

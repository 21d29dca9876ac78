"""The SLA clock (DESIGN §6): start, pause, resume and stop one ``SlaClock`` per (ticket, tier visit)
and keep the ticket's absolute deadlines in step. Called by the receivers in ``sla.receivers`` inside
the ticket service's transaction, on a ticket the service has locked. Ticket fields are written with
``tickets.services.write_unversioned`` (no version bump, no signal) and mirrored onto the in-memory
instance so the caller sees them; in a status move's receivers they go into the move's own UPDATE.

The clock row is the source of truth: ``business_seconds`` used so far plus ``running_since`` give the
remaining green/yellow budget; the ticket's deadlines are derived from it on start and resume."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.db.models import Case, IntegerField, Value, When

from helpdesk.batch import update_rows
from tickets.models import PAUSED_STATUSES, SlaBand, Ticket
from tickets.services import record, record_many, write_unversioned

from .business_time import WorkingWeek, add_business_time, business_seconds_between
from .calendars import calendar_for, week_for
from .models import SlaClock, SlaPolicy

log = logging.getLogger(__name__)


def policy_for(tier: str, priority: str) -> SlaPolicy | None:
    """The tier's policy for this priority, else the tier's any-priority policy."""
    return (
        SlaPolicy.objects.select_related("calendar")
        .filter(tier=tier, priority__in=[priority, ""])
        .order_by(Case(When(priority="", then=Value(1)), default=Value(0), output_field=IntegerField()))
        .first()
    )


def band_for(used: float, green: float, yellow: float) -> str:
    """Band of a clock that has used ``used`` business seconds of a green/yellow budget."""
    if used < green:
        return SlaBand.GREEN
    if used < yellow:
        return SlaBand.YELLOW
    return SlaBand.RED


def running_clock(ticket: Ticket) -> SlaClock | None:
    return (
        SlaClock.objects.select_related("calendar")
        .filter(ticket=ticket, stopped_at__isnull=True)
        .order_by("-id")
        .first()
    )


def clock_week(clock: SlaClock, ticket: Ticket) -> WorkingWeek:
    return (
        week_for(clock.calendar)
        if clock.calendar_id
        else week_for(calendar_for(ticket.organization_id, None))
    )


def write_ticket(ticket: Ticket, **fields: Any) -> None:
    """One UPDATE on the (locked) ticket row, mirrored onto the instance; the version is not bumped. In a
    status move's receivers, part of the move's own UPDATE instead (``services.write_unversioned``)."""
    write_unversioned([ticket], [fields])


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _running_fields(clock: SlaClock, at: dt.datetime, week: WorkingWeek) -> dict[str, Any]:
    """Ticket fields for a clock counting from ``at`` with what is left of its budget."""
    left_green = clock.green_seconds - clock.business_seconds
    left_yellow = clock.yellow_seconds - clock.business_seconds
    green_until = add_business_time(at, left_green, week) if left_green > 0 else at
    yellow_until = add_business_time(at, left_yellow, week) if left_yellow > 0 else at
    return {
        "sla_band": band_for(clock.business_seconds, clock.green_seconds, clock.yellow_seconds),
        "sla_green_until": green_until,
        "sla_yellow_until": yellow_until,
        "sla_paused_green_seconds": None,
        "sla_paused_yellow_seconds": None,
    }


def _paused_fields(clock: SlaClock) -> dict[str, Any]:
    return {
        "sla_band": SlaBand.PAUSED,
        "sla_green_until": None,
        "sla_yellow_until": None,
        "sla_paused_green_seconds": max(0.0, clock.green_seconds - clock.business_seconds),
        "sla_paused_yellow_seconds": max(0.0, clock.yellow_seconds - clock.business_seconds),
    }


_CLEARED = {
    "sla_band": SlaBand.NONE,
    "sla_green_until": None,
    "sla_yellow_until": None,
    "sla_paused_green_seconds": None,
    "sla_paused_yellow_seconds": None,
}


def start(ticket: Ticket, at: dt.datetime, by: Any = None) -> SlaClock | None:
    """Start a clock for the ticket's current tier (paused at once if the ticket waits on the requester)."""
    policy = policy_for(ticket.tier, ticket.priority)
    if policy is None:
        log.warning("ticket %s: no SLA policy for tier %r; no clock started", ticket.pk, ticket.tier)
        write_ticket(ticket, **_CLEARED)
        record(ticket, "sla_no_policy", None, tier=ticket.tier, priority=ticket.priority)
        return None
    cal = calendar_for(ticket.organization_id, policy.calendar)
    paused = ticket.status in PAUSED_STATUSES
    clock = SlaClock.objects.create(
        ticket=ticket,
        tier=ticket.tier,
        started_at=at,
        green_seconds=policy.green_seconds,
        yellow_seconds=policy.yellow_seconds,
        calendar=cal,
        running_since=None if paused else at,
        paused_at=at if paused else None,
    )
    fields = _paused_fields(clock) if paused else _running_fields(clock, at, week_for(cal))
    write_ticket(ticket, **fields)
    record(
        ticket,
        "sla_clock_started",
        by,
        tier=ticket.tier,
        clock=clock.pk,
        band=fields["sla_band"],
        green_until=_iso(fields["sla_green_until"]),
        yellow_until=_iso(fields["sla_yellow_until"]),
    )
    return clock


def _used_until(clock: SlaClock, at: dt.datetime, week: WorkingWeek) -> float:
    if clock.running_since is None:
        return clock.business_seconds
    return clock.business_seconds + business_seconds_between(clock.running_since, at, week)


def running_clocks(tickets: Sequence[Ticket]) -> dict[int, SlaClock]:
    """Each ticket's running clock (the newest unstopped one), for a whole batch in one query."""
    found: dict[int, SlaClock] = {}
    rows = SlaClock.objects.select_related("calendar").filter(
        ticket_id__in=[t.pk for t in tickets], stopped_at__isnull=True
    )
    for clock in rows.order_by("-id"):
        found.setdefault(clock.ticket_id, clock)
    return found


class _Weeks:
    """The working week of each clock of a batch; the organization's calendar read once per organization."""

    def __init__(self) -> None:
        self.by_org: dict[int | None, WorkingWeek] = {}

    def __call__(self, clock: SlaClock, ticket: Ticket) -> WorkingWeek:
        if clock.calendar_id:
            return week_for(clock.calendar)
        org = ticket.organization_id
        if org not in self.by_org:
            self.by_org[org] = week_for(calendar_for(org, None))
        return self.by_org[org]


def write_tickets(tickets: Sequence[Ticket], fields: Sequence[dict[str, Any]]) -> None:
    """``write_ticket`` for a batch (each its own values) in ONE statement — or in the status move's."""
    write_unversioned(tickets, fields)


def pause(ticket: Ticket, at: dt.datetime, by: Any = None) -> SlaClock | None:
    return pause_many([ticket], at, by).get(ticket.pk)


def pause_many(tickets: Sequence[Ticket], at: dt.datetime, by: Any = None) -> dict[int, SlaClock]:
    """Pause the running clocks of a batch: one read, one UPDATE of the clocks, one of the tickets and one
    INSERT of the events."""
    clocks = {pk: c for pk, c in running_clocks(tickets).items() if c.running_since is not None}
    moved = [t for t in tickets if t.pk in clocks]
    if not moved:
        return {}
    weeks = _Weeks()
    for ticket in moved:
        clock = clocks[ticket.pk]
        clock.business_seconds = _used_until(clock, at, weeks(clock, ticket))
        clock.running_since, clock.paused_at = None, at
    update_rows([clocks[t.pk] for t in moved], ["business_seconds", "running_since", "paused_at"], bump=None)
    fields = [_paused_fields(clocks[t.pk]) for t in moved]
    write_tickets(moved, fields)
    record_many(
        [
            (
                t,
                "sla_clock_paused",
                by,
                {
                    "clock": clocks[t.pk].pk,
                    "status": t.status,
                    "green_left": f["sla_paused_green_seconds"],
                    "yellow_left": f["sla_paused_yellow_seconds"],
                },
            )
            for t, f in zip(moved, fields, strict=True)
        ]
    )
    return clocks


def resume(ticket: Ticket, at: dt.datetime, by: Any = None) -> SlaClock | None:
    return resume_many([ticket], at, by).get(ticket.pk)


def resume_many(tickets: Sequence[Ticket], at: dt.datetime, by: Any = None) -> dict[int, SlaClock]:
    """Resume the paused clocks of a batch, set-based like ``pause_many``; a clock already yellow or red
    warns again (deduplicated per clock and band)."""
    clocks = {pk: c for pk, c in running_clocks(tickets).items() if c.running_since is None}
    moved = [t for t in tickets if t.pk in clocks]
    if not moved:
        return {}
    weeks = _Weeks()
    for ticket in moved:
        clocks[ticket.pk].running_since, clocks[ticket.pk].paused_at = at, None
    update_rows([clocks[t.pk] for t in moved], ["running_since", "paused_at"], bump=None)
    fields = [_running_fields(clocks[t.pk], at, weeks(clocks[t.pk], t)) for t in moved]
    write_tickets(moved, fields)
    record_many(
        [
            (
                t,
                "sla_clock_resumed",
                by,
                {
                    "clock": clocks[t.pk].pk,
                    "band": f["sla_band"],
                    "green_until": _iso(f["sla_green_until"]),
                    "yellow_until": _iso(f["sla_yellow_until"]),
                },
            )
            for t, f in zip(moved, fields, strict=True)
        ]
    )
    late = [(t, f["sla_band"]) for t, f in zip(moved, fields, strict=True) if f["sla_band"] in _WARNED]
    if late:
        from .warnings import warn_one  # the band job's notice; deduplicated per (clock, band)

        for ticket, band in late:
            warn_one(ticket, clocks[ticket.pk].pk, band)
    return clocks


_WARNED = (SlaBand.YELLOW, SlaBand.RED)


def stop(ticket: Ticket, at: dt.datetime, reason: str, by: Any = None) -> SlaClock | None:
    """Stop the running clock (if any) with its final band, and clear the ticket's deadlines."""
    return stop_many([ticket], at, reason, by).get(ticket.pk)


def stop_many(tickets: Sequence[Ticket], at: dt.datetime, reason: str, by: Any = None) -> dict[int, SlaClock]:
    """``stop`` for a batch: one read of the clocks, one UPDATE of them, one of the tickets, one INSERT of
    the events."""
    clocks = running_clocks(tickets)
    moved = [t for t in tickets if t.pk in clocks]
    if not moved:
        return {}
    weeks = _Weeks()
    for ticket in moved:
        clock = clocks[ticket.pk]
        clock.business_seconds = _used_until(clock, at, weeks(clock, ticket))
        clock.final_band = band_for(clock.business_seconds, clock.green_seconds, clock.yellow_seconds)
        clock.stopped_at, clock.stop_reason, clock.running_since = at, reason, None
    update_rows(
        [clocks[t.pk] for t in moved],
        ["business_seconds", "final_band", "stopped_at", "stop_reason", "running_since"],
        bump=None,
    )
    write_tickets(moved, [_CLEARED] * len(moved))
    record_many(
        [
            (
                t,
                "sla_clock_stopped",
                by,
                {
                    "clock": clocks[t.pk].pk,
                    "tier": clocks[t.pk].tier,
                    "reason": reason,
                    "final_band": clocks[t.pk].final_band,
                    "business_seconds": round(clocks[t.pk].business_seconds, 3),
                },
            )
            for t in moved
        ]
    )
    return clocks

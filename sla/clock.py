"""The SLA clock (DESIGN §6): start, pause, resume and stop one ``SlaClock`` per (ticket, tier visit)
and keep the ticket's absolute deadlines in step. Called by the receivers in ``sla.receivers`` inside
the ticket service's transaction, on a ticket the service has locked. Ticket fields are written with a
queryset ``update()`` (never through ``tickets.services``, which would signal again) and mirrored onto
the in-memory instance so the caller sees them.

The clock row is the source of truth: ``business_seconds`` used so far plus ``running_since`` give the
remaining green/yellow budget; the ticket's deadlines are derived from it on start and resume."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db.models import Case, IntegerField, Value, When

from tickets.models import PAUSED_STATUSES, SlaBand, Ticket
from tickets.services import record

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
    """One UPDATE on the (locked) ticket row, mirrored onto the instance; the version is not bumped."""
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    for name, value in fields.items():
        setattr(ticket, name, value)


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


def pause(ticket: Ticket, at: dt.datetime, by: Any = None) -> SlaClock | None:
    clock = running_clock(ticket)
    if clock is None or clock.running_since is None:
        return None
    clock.business_seconds = _used_until(clock, at, clock_week(clock, ticket))
    clock.running_since, clock.paused_at = None, at
    clock.save(update_fields=["business_seconds", "running_since", "paused_at"])
    fields = _paused_fields(clock)
    write_ticket(ticket, **fields)
    record(
        ticket,
        "sla_clock_paused",
        by,
        clock=clock.pk,
        status=ticket.status,
        green_left=fields["sla_paused_green_seconds"],
        yellow_left=fields["sla_paused_yellow_seconds"],
    )
    return clock


def resume(ticket: Ticket, at: dt.datetime, by: Any = None) -> SlaClock | None:
    clock = running_clock(ticket)
    if clock is None or clock.running_since is not None:
        return None
    clock.running_since, clock.paused_at = at, None
    clock.save(update_fields=["running_since", "paused_at"])
    fields = _running_fields(clock, at, clock_week(clock, ticket))
    write_ticket(ticket, **fields)
    record(
        ticket,
        "sla_clock_resumed",
        by,
        clock=clock.pk,
        band=fields["sla_band"],
        green_until=_iso(fields["sla_green_until"]),
        yellow_until=_iso(fields["sla_yellow_until"]),
    )
    if fields["sla_band"] in (SlaBand.YELLOW, SlaBand.RED):
        from .warnings import warn_one  # the band job's notice; deduplicated per (clock, band)

        warn_one(ticket, clock.pk, fields["sla_band"])
    return clock


def stop(ticket: Ticket, at: dt.datetime, reason: str, by: Any = None) -> SlaClock | None:
    """Stop the running clock (if any) with its final band, and clear the ticket's deadlines."""
    clock = running_clock(ticket)
    if clock is None:
        return None
    clock.business_seconds = _used_until(clock, at, clock_week(clock, ticket))
    clock.final_band = band_for(clock.business_seconds, clock.green_seconds, clock.yellow_seconds)
    clock.stopped_at, clock.stop_reason, clock.running_since = at, reason, None
    clock.save(update_fields=["business_seconds", "final_band", "stopped_at", "stop_reason", "running_since"])
    write_ticket(ticket, **_CLEARED)
    record(
        ticket,
        "sla_clock_stopped",
        by,
        clock=clock.pk,
        tier=clock.tier,
        reason=reason,
        final_band=clock.final_band,
        business_seconds=round(clock.business_seconds, 3),
    )
    return clock

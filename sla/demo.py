"""SLA demo data on top of the core demo: tier leads, a UK calendar for one client, clocks backdated to
each ticket's age (so queues show a realistic mix of green, yellow and red), a kept and a missed
commitment, then one run of every SLA job. Idempotent: a second run finds everything in place."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tickets.models import ACTIVE_STATUSES, Organization, SlaBand, Status, Ticket, Tier

from .bands import update_sla_bands
from .business_time import add_business_time
from .calendars import business_day_seconds, calendar_for, week_for
from .clock import _running_fields, write_ticket
from .commitments import check_commitments
from .models import BusinessCalendar, SlaClock, SlaPolicy, TicketSlaState
from .nudges import nudge_stale_tickets

UK = "UK clients (England, bank holidays)"


def seed(stdout: TextIO) -> None:
    now = timezone.now()
    with transaction.atomic():
        _leads()
        _uk_calendar()
        moved = _backdate_clocks(now)
        _commitments(now)
    bands = update_sla_bands(now)
    nudges = nudge_stale_tickets(now)
    commitments = check_commitments(now)
    stdout.write(
        f"sla demo: {moved} clocks backdated; bands {bands}; nudges {nudges}; commitments {commitments}\n"
    )


def _leads() -> None:
    lead = get_user_model().objects.filter(username="lead").first()
    if lead is not None:
        SlaPolicy.objects.filter(priority="", lead__isnull=True).update(lead=lead)


def _uk_calendar() -> None:
    cal, created = BusinessCalendar.objects.get_or_create(
        name=UK,
        defaults={
            "time_zone": "Europe/London",
            "country": "GB",
            "subdivision": "ENG",
            "weekly_hours": [["09:00", "17:30"]] * 5 + [None, None],
        },
    )
    org = Organization.objects.order_by("name").first()
    if created and org is not None:
        cal.organizations.add(org)


def _backdate_clocks(now: dt.datetime) -> int:
    """Running clocks of demo tickets started 'now'; restart them at the ticket's creation time."""
    moved = 0
    clocks = SlaClock.objects.filter(
        stopped_at__isnull=True, running_since__isnull=False, ticket__status__in=ACTIVE_STATUSES
    ).select_related("ticket", "calendar")
    for clock in clocks:
        ticket = clock.ticket
        if clock.started_at <= ticket.created_at + dt.timedelta(minutes=1):
            continue  # already backdated (or genuinely new)
        clock.started_at = clock.running_since = ticket.created_at
        clock.save(update_fields=["started_at", "running_since"])
        week = week_for(clock.calendar)
        fields = _running_fields(clock, ticket.created_at, week)
        fields["sla_band"] = SlaBand.GREEN  # let the band job move it, with its warnings
        write_ticket(ticket, **fields)
        cal_week = week_for(calendar_for(ticket.organization_id, None))
        due = add_business_time(ticket.created_at, business_day_seconds(cal_week), cal_week)
        TicketSlaState.objects.filter(ticket=ticket, nudge_due_at__gt=due).update(nudge_due_at=due)
        moved += 1
    return moved


def _commitments(now: dt.datetime) -> None:
    owned = Ticket.objects.filter(status=Status.OPEN, assignee__isnull=False).exclude(tier=Tier.TRIAGE)
    if (
        owned.filter(commitment_due_at__isnull=False).exists()
        or owned.filter(commitment_missed=True).exists()
    ):
        return
    picks = list(owned.order_by("number")[:2])
    for ticket, due in zip(
        picks, (now + dt.timedelta(minutes=45), now - dt.timedelta(hours=2)), strict=False
    ):
        write_ticket(ticket, commitment_due_at=due, commitment_reminded_at=None, commitment_missed=False)
        TicketSlaState.objects.update_or_create(
            ticket=ticket, defaults={"commitment_by": ticket.assignee, "commitment_set_at": now}
        )

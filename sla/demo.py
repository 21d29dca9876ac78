"""SLA demo data on top of the core demo: tier leads, a UK calendar for one client, then one run of every
SLA job at the real now. The core demo writes its tickets at their moments in business time
(``business_ago``), so the clocks, deadlines and promises are already true: the band job finds most
clocks green, a few yellow and the three red ones of the story. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tickets.models import Organization

from .bands import update_sla_bands
from .business_time import business_seconds_between
from .calendars import default_calendar, week_for
from .commitments import check_commitments
from .models import BusinessCalendar, SlaPolicy
from .nudges import nudge_stale_tickets

UK = "UK clients (England, bank holidays)"
LOOK_BACK = dt.timedelta(days=30)


def business_ago(seconds: float, now: dt.datetime | None = None) -> dt.datetime:
    """The latest instant from which ``seconds`` of the default calendar's working time run until now
    (a binary search over wall-clock time: business time elapsed only grows as we go back)."""
    now = now or timezone.now()
    week = week_for(default_calendar())
    lo, hi = now - LOOK_BACK, now
    for _ in range(48):
        mid = lo + (hi - lo) / 2
        if business_seconds_between(mid, now, week) >= seconds:
            lo = mid
        else:
            hi = mid
    return lo


def seed(stdout: TextIO) -> None:
    now = timezone.now()
    with transaction.atomic():
        _leads()
        _uk_calendar()
    bands = update_sla_bands(now)
    nudges = nudge_stale_tickets(now)
    commitments = check_commitments(now)
    moved = {str(band): n for band, n in bands.items()}
    stdout.write(f"sla demo: bands moved {moved}; nudges {nudges}; commitments {commitments}\n")


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

"""Fixtures of the SLA tests: calendars and times helpers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def london(db):
    """Make the default calendar Mon–Fri 09:00–17:00 Europe/London, no public holidays."""
    from sla.models import BusinessCalendar

    cal = BusinessCalendar.objects.get(is_default=True)
    cal.time_zone = "Europe/London"
    cal.save()
    return cal


def local(tz: ZoneInfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz)

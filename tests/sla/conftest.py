"""Fixtures of the SLA tests: receivers raise instead of logging, and calendars/times helpers."""

from __future__ import annotations

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _sla_strict(settings):
    settings.SLA_RAISE_ERRORS = True


@pytest.fixture(autouse=True)
def _sla_defaults(request):
    """Transactional tests (threads, live_server) flush the tables, taking the default calendar and
    policies of migration 0003 with them: put them back (idempotent) for every database test."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db:
        return
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames or (
        marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    importlib.import_module("sla.migrations.0003_default_calendar_and_policies").forwards(apps, None)


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

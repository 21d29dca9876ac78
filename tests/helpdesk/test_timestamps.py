"""helpdesk/timestamps.py: PostgreSQL timestamps read by psycopg's C loader, the values Django's own
loader gives (aware, UTC, to the microsecond)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from helpdesk import timestamps
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

VALUES = (
    "2026-03-29 01:30:00.123456+00",  # the hour Europe skips
    "2026-10-25 00:59:59.999999+00",
    "1999-12-31 23:59:59+00",
    "0001-01-01 00:00:00+00",
)


def _read(register_django_loader: bool) -> list[dt.datetime]:
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    connection.ensure_connection()
    with connection.connection.cursor() as cur:
        if register_django_loader:
            register_tzloader(dt.UTC, cur)
        sql = " UNION ALL ".join(f"SELECT %s::timestamptz, {i}" for i in range(len(VALUES)))
        cur.execute(sql + " ORDER BY 2", list(VALUES))
        return [row[0] for row in cur.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loader")
def test_the_connection_reads_timestamps_with_the_c_loader_and_djangos_values():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text
    assert loader.__name__ == "UtcTimestamptzLoader" and loader.timezone == dt.UTC
    fast, django = _read(False), _read(True)
    assert fast == django
    assert all(value.tzinfo == dt.UTC for value in fast)
    assert fast[0] == dt.datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=dt.UTC)


def test_a_saved_timestamp_reads_back_the_same():
    ticket = TicketFactory()
    moment = dt.datetime(2026, 3, 29, 1, 30, 0, 654321, tzinfo=dt.UTC)
    type(ticket).objects.filter(pk=ticket.pk).update(created_at=moment)
    assert type(ticket).objects.values_list("created_at", flat=True).get(pk=ticket.pk) == moment


def test_another_session_time_zone_keeps_djangos_loader(monkeypatch):
    """A per-database TIME_ZONE: the session is not UTC, so nothing is installed."""

    class Other:
        vendor, timezone, timezone_name = "postgresql", dt.UTC, "Europe/Berlin"

    timestamps.use_c_loader(None, Other())  # would fail on ``Other.connection`` if it tried

"""The high-volume rows (the band job's warnings and events, a sweep's notices) do not fill indexes for
columns they leave empty: the outgoing-mail keyset holds email rows only, the carried-message and actor
indexes only rows that have one (issue #20: fewer index entries per write)."""

import pytest
from django.db import connection

from tickets.models import Notification, TicketEvent

pytestmark = pytest.mark.django_db


def _index_sql(table: str) -> dict[str, str]:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        else:
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
        return {name: (sql or "") for name, sql in cur.fetchall()}


def test_notification_indexes_leave_out_in_app_rows_and_rows_without_a_message():
    indexes = _index_sql(Notification._meta.db_table)
    assert "notification_channel" not in indexes
    assert "WHERE" in indexes["notification_email"] and "email" in indexes["notification_email"]
    assert "IS NOT NULL" in indexes["notification_message"]
    unconditional = [n for n, sql in indexes.items() if "message_id" in sql and "WHERE" not in sql]
    assert unconditional == []


def test_event_actor_index_holds_peoples_events_only():
    indexes = _index_sql(TicketEvent._meta.db_table)
    assert "IS NOT NULL" in indexes["event_actor"]
    assert [n for n, sql in indexes.items() if "actor_id" in sql and "WHERE" not in sql] == []

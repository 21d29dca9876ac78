"""``helpdesk.batch.insert_unnest``: one INSERT for many rows, the other columns filled as Django would
(defaults, ``auto_now_add``), conflicts skipped when asked, a too-long value refused (not cut)."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from helpdesk.batch import insert_unnest
from tickets.models import Notification

pytestmark = pytest.mark.django_db


def _columns(ticket, keys):
    return {
        "ticket": [ticket.pk] * len(keys),
        "recipient_email": ["a@example.com"] * len(keys),
        "reason": ["auto_resolved"] * len(keys),
        "dedupe_key": keys,
        "subject": [f"S {k}" for k in keys],
        "body": ["Body"] * len(keys),
    }


def test_many_rows_in_one_statement_with_the_defaults_filled_in(ticket):
    with CaptureQueriesContext(connection) as q:
        insert_unnest(Notification, _columns(ticket, ["k1", "k2", "k3"]))
    assert len(q.captured_queries) == 1
    rows = list(Notification.objects.order_by("dedupe_key"))
    assert [r.dedupe_key for r in rows] == ["k1", "k2", "k3"]
    first = rows[0]
    assert (first.ticket_id, first.channel, first.state, first.attempts) == (ticket.pk, "email", "pending", 0)
    assert first.created_at is not None and first.sent_at is None and first.email_message_id == ""


def test_a_key_already_written_is_skipped_when_asked(ticket):
    insert_unnest(Notification, _columns(ticket, ["k1"]))
    insert_unnest(Notification, _columns(ticket, ["k1", "k2"]), ignore_conflicts=True)
    assert sorted(Notification.objects.values_list("dedupe_key", flat=True)) == ["k1", "k2"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not enforce a varchar's length")
def test_a_value_too_long_for_its_column_is_refused_not_cut(ticket):
    columns = _columns(ticket, ["k1"])
    columns["subject"] = ["x" * 251]
    with pytest.raises(DataError), transaction.atomic():
        insert_unnest(Notification, columns)
    assert not Notification.objects.exists()


def test_nothing_to_insert_runs_no_query(ticket):
    with CaptureQueriesContext(connection) as q:
        insert_unnest(Notification, _columns(ticket, []))
    assert not q.captured_queries

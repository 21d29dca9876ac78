"""In-app notices are written as sent: nothing is sent for them, so they never wait in the outbox. Before,
the band job's 10,000 yellow warnings went in as pending and the outbox (200 rows a run, every 30 s)
worked through them for about 25 minutes while a requester's reply email waited behind them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from sla.bands import update_sla_bands
from tests.factories import TicketFactory
from tickets import outbox, services
from tickets.models import Notification

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def _due_yellow(count: int, assignee) -> None:
    now = timezone.now()
    for _ in range(count):
        TicketFactory(
            status="open",
            tier="t1",
            assignee=assignee,
            sla_band="green",
            sla_green_until=now - H,
            sla_yellow_until=now + H,
        )


def test_a_burst_of_band_warnings_does_not_hold_back_a_requester_email(ticket, agent):
    _due_yellow(5, agent)
    assert update_sla_bands()["yellow"] == 5
    services.add_reply(ticket, agent, "Here is the fix.")  # an email to the requester, queued after them

    assert outbox.send_pending(limit=1) == 1  # the first run takes the email, not a warning
    assert [m.subject for m in mail.outbox] == [f"[#{ticket.number}] {ticket.subject}"]
    warnings = Notification.objects.filter(reason="sla_yellow")
    assert warnings.count() == 5
    assert set(warnings.values_list("state", flat=True)) == {"sent"}
    assert not warnings.filter(sent_at__isnull=True).exists()
    assert outbox.send_pending() == 0


def test_an_in_app_notice_is_sent_as_written_and_kicks_no_worker(
    ticket, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        row = outbox.notify_user(ticket, agent, "assigned", "assigned:1", "Yours now")
    assert row is not None and (row.state, row.channel) == ("sent", "in_app") and row.sent_at is not None
    assert not [c for c in callbacks if c is outbox._kick]
    assert outbox.notify_user(ticket, agent, "assigned", "assigned:1", "Yours now") is None  # same key: once


def test_an_email_notice_still_waits_for_the_outbox(ticket, agent):
    row = outbox.notify_user(ticket, agent, "assigned", "assigned:2", "Yours now", email=True)
    assert row is not None and (row.state, row.channel) == ("pending", "email")


def test_in_app_notices_left_pending_by_an_older_version_are_marked_sent(ticket, agent):
    Notification.objects.create(
        ticket=ticket, recipient_user=agent, channel="in_app", reason="sla_yellow", subject="s", body="b",
        dedupe_key="old:1",
    )  # fmt: skip
    from importlib import import_module

    migration = import_module("tickets.migrations.0016_in_app_notices_sent")
    with connection.cursor() as cur:
        migration.mark_sent(None, SimpleNamespace(execute=cur.execute))
    row = Notification.objects.get(dedupe_key="old:1")
    assert row.state == "sent" and row.sent_at == row.created_at

"""Two workers running the nudge and commitment jobs at the same moment act once per ticket (PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sla.commitments import check_commitments
from sla.models import TicketSlaState
from sla.nudges import nudge_stale_tickets
from tests.concurrency import at_once, require_row_locks
from tests.factories import ContactFactory, TicketFactory, UserFactory
from tickets.models import Notification, TicketEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]


def _tickets(n: int, **fields) -> list:
    agent = UserFactory(username="conc-agent", role="Agent")
    requester = ContactFactory()
    return [
        TicketFactory(requester=requester, assignee=agent, status="open", tier="t3", **fields)
        for _ in range(n)
    ]


def test_nudges_and_holding_offers_once():
    require_row_locks()
    now = timezone.now()
    tickets = _tickets(20)
    TicketSlaState.objects.bulk_create(
        [
            TicketSlaState(
                ticket=t,
                nudge_due_at=now - dt.timedelta(minutes=1),
                holding_due_at=now - dt.timedelta(minutes=1),
            )
            for t in tickets
        ]
    )
    results = at_once(*[lambda: nudge_stale_tickets(now, chunk=3)] * 2)
    assert sum(r["nudged"] for r in results) == 20 and sum(r["holding_offered"] for r in results) == 20
    assert Notification.objects.filter(reason="stale_nudge").count() == 20
    assert Notification.objects.filter(reason="holding_reply_offered").count() == 20
    assert TicketEvent.objects.filter(verb="stale_nudge").count() == 20


def test_commitments_flagged_once():
    require_row_locks()
    now = timezone.now()
    _tickets(10, commitment_due_at=now - dt.timedelta(minutes=1))
    results = at_once(*[lambda: check_commitments(now, chunk=3)] * 2)
    assert sum(r["missed"] for r in results) == 10
    assert Notification.objects.filter(reason="commitment_missed").count() == 10
    assert TicketEvent.objects.filter(verb="commitment_missed").count() == 10


def test_commitment_reminders_sent_once():
    require_row_locks()
    now = timezone.now()
    _tickets(10, commitment_due_at=now + dt.timedelta(minutes=30))  # due within the reminder lead (60 min)
    results = at_once(*[lambda: check_commitments(now, chunk=3)] * 2)
    assert sum(r["reminded"] for r in results) == 10
    assert Notification.objects.filter(reason="commitment_reminder").count() == 10

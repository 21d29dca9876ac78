"""The band job's one statement per chunk (issue #20 §5) writes the events and warnings ``write_all``
would write — same recipients, texts and dedupe keys — with no query per row, and a second run
(or a resume that warns again) adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sla import warnings
from sla.bands import update_sla_bands
from sla.models import SlaClock, SlaPolicy
from tests.factories import TicketFactory, UserFactory
from tickets.models import Notification, SlaBand, Ticket, TicketEvent

pytestmark = [pytest.mark.usefixtures("celery_eager"), pytest.mark.django_db]

H = dt.timedelta(hours=1)


def _running(band, green, yellow, **kw):
    return TicketFactory(
        status="open",
        tier=kw.pop("tier", "t1"),
        sla_band=band,
        sla_green_until=green,
        sla_yellow_until=yellow,
        **kw,
    )


def _expected(ticket: Ticket, old: str, new: str, clock_id, leads) -> tuple:
    deadline = ticket.sla_yellow_until if new == SlaBand.RED else ticket.sla_green_until
    change = warnings.BandChange(
        ticket.pk,
        ticket.number,
        ticket.subject,
        ticket.tier,
        ticket.assignee_id,
        old,
        new,
        clock_id,
        int(deadline.timestamp()) if deadline else 0,
    )
    return (
        warnings.recipient(change, leads),
        f"sla_{new}",
        f"[#{ticket.number}] {ticket.subject}"[:250],
        warnings.TEXT[SlaBand(new)].format(
            number=ticket.number, subject=ticket.subject, tier=ticket.tier.upper()
        ),
        warnings.dedupe_key(ticket.pk, new, clock_id, change.deadline_ts),
        "in_app",
        "sent",  # in-app: nothing for the outbox to send
    )


def test_the_statement_writes_what_write_all_writes(manager):
    lead = UserFactory(username="t2lead", role="Agent")
    owner = UserFactory(username="owner", role="Agent")
    SlaPolicy.objects.filter(tier="t2", priority="").update(lead=lead)
    now = timezone.now().replace(microsecond=654321)
    tickets = [
        _running("green", now - H, now + H, assignee=owner),  # yellow → the owner
        _running("green", now - H, now + H, tier="t2"),  # yellow, nobody owns it → the t2 lead
        _running("green", now - H, now + H),  # yellow, no owner, no t1 lead → a manager
        _running("yellow", now - 3 * H, now - H, assignee=owner, tier="t2"),  # red → the lead
        _running("green", now - 3 * H, now - 2 * H, assignee=owner, subject="x" * 200),  # red, long subject
    ]
    clock = SlaClock.objects.create(
        ticket=tickets[0], tier="t1", started_at=now - 2 * H, running_since=now - 2 * H
    )
    olds = {t.pk: t.sla_band for t in tickets}
    leads = warnings.tier_leads()

    assert update_sla_bands(now) == {"yellow": 3, "red": 2, "skipped": 0}

    got = {
        n.ticket_id: (n.recipient_user_id, n.reason, n.subject, n.body, n.dedupe_key, n.channel, n.state)
        for n in Notification.objects.all()
    }
    assert len(got) == 5
    for t in tickets:
        t.refresh_from_db()
        clock_id = clock.pk if t.pk == tickets[0].pk else None
        assert got[t.pk] == _expected(t, olds[t.pk], t.sla_band, clock_id, leads)
        event = TicketEvent.objects.get(ticket=t, verb="sla_band_changed")
        assert event.data == {"old": olds[t.pk], "new": t.sla_band, "clock": clock_id} and event.actor is None
    assert update_sla_bands(now) == {"yellow": 0, "red": 0, "skipped": 0}
    assert (
        Notification.objects.count() == 5 and TicketEvent.objects.filter(verb="sla_band_changed").count() == 5
    )


def test_a_warning_already_sent_is_not_sent_again(agent):
    now = timezone.now()
    ticket = _running("green", now - H, now + H, assignee=agent)
    clock = SlaClock.objects.create(
        ticket=ticket, tier="t1", started_at=now - 2 * H, running_since=now - 2 * H
    )
    warnings.warn_one(ticket, clock.pk, SlaBand.YELLOW)  # e.g. a resume that found it yellow
    assert update_sla_bands(now)["yellow"] == 1
    assert Notification.objects.filter(ticket=ticket, reason="sla_yellow").count() == 1


def test_a_chunk_is_one_statement_whatever_its_size(agent):
    """A chunk costs the same queries whatever its size; on PostgreSQL the move, its events and notices
    are one statement (SQLite, the embedded default, moves and writes them in separate set-based ones)."""
    now = timezone.now()
    for _ in range(2):
        _running("green", now - H, now + H, assignee=agent)
    with CaptureQueriesContext(connection) as few:
        assert update_sla_bands(now)["yellow"] == 2
    for _ in range(25):
        _running("green", now - H, now + H, assignee=agent)
    with CaptureQueriesContext(connection) as many:
        assert update_sla_bands(now)["yellow"] == 25
    assert len(many.captured_queries) == len(few.captured_queries)
    if connection.vendor == "postgresql":
        moves = [q for q in many.captured_queries if "UPDATE" in q["sql"] and "INSERT" in q["sql"]]
        assert len(moves) == 2  # per band (red, then yellow): the move, its events and notices at once

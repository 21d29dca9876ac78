"""The band job: set-based moves, one warning per band change, malformed rows skipped, two workers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sla.bands import update_sla_bands
from sla.models import SlaPolicy
from tests.concurrency import at_once, require_row_locks
from tests.factories import ContactFactory, TicketFactory, UserFactory
from tickets.models import Notification, TicketEvent

pytestmark = pytest.mark.usefixtures("celery_eager")  # the tasks queued on commit run

H = dt.timedelta(hours=1)


def _running(band: str, green: dt.datetime, yellow: dt.datetime, **kw):
    return TicketFactory(
        status=kw.pop("status", "open"),
        tier=kw.pop("tier", "t1"),
        sla_band=band,
        sla_green_until=green,
        sla_yellow_until=yellow,
        **kw,
    )


@pytest.mark.django_db
def test_moves_each_band_once_and_warns_once(agent, triage_lead):
    SlaPolicy.objects.filter(tier="t1").update(lead=triage_lead)
    now = timezone.now()
    to_yellow = [_running("green", now - H, now + H, assignee=agent) for _ in range(3)]
    to_red = _running("yellow", now - 3 * H, now - H, assignee=agent)
    jump_red = _running("green", now - 3 * H, now - 2 * H)  # job was down: straight to red, lead told
    untouched = [
        _running("green", now + H, now + 2 * H),
        _running("red", now - 3 * H, now - H),
        _running("paused", now - 3 * H, now - H),
        _running("green", now - H, now + H, status="pending"),
    ]

    assert update_sla_bands(now) == {"yellow": 3, "red": 2, "skipped": 0}
    assert update_sla_bands(now) == {"yellow": 0, "red": 0, "skipped": 0}
    assert update_sla_bands(now + dt.timedelta(minutes=1))["yellow"] == 0

    for t in to_yellow:
        t.refresh_from_db()
        assert t.sla_band == "yellow"
    to_red.refresh_from_db(), jump_red.refresh_from_db()
    assert (to_red.sla_band, jump_red.sla_band) == ("red", "red")
    assert [u.__class__.objects.get(pk=u.pk).sla_band for u in untouched] == [
        "green",
        "red",
        "paused",
        "green",
    ]
    yellow = Notification.objects.filter(reason="sla_yellow")
    assert yellow.count() == 3 and set(yellow.values_list("recipient_user", flat=True)) == {agent.pk}
    red = Notification.objects.filter(reason="sla_red")
    assert sorted(red.values_list("ticket_id", "recipient_user")) == sorted(
        [(to_red.pk, triage_lead.pk), (jump_red.pk, triage_lead.pk)]
    )
    assert TicketEvent.objects.filter(verb="sla_band_changed").count() == 5


def test_without_lead_or_owner_a_manager_is_told(manager):
    SlaPolicy.objects.update(lead=None)
    now = timezone.now()
    orphan = _running("green", now - 3 * H, now - H)  # nobody owns it, the tier has no lead
    assert update_sla_bands(now)["red"] == 1
    assert Notification.objects.get(reason="sla_red", ticket=orphan).recipient_user == manager


@pytest.mark.django_db
def test_malformed_rows_are_logged_and_skipped_without_stopping_the_batch(agent, caplog):
    now = timezone.now()
    before = _running("green", now - 3 * H, now - H, assignee=agent)
    inverted = _running("green", now - H, now - 2 * H, assignee=agent)  # yellow before green
    unknown_tier = _running("yellow", now - 3 * H, now - H, tier="t9", assignee=agent)
    after = _running("green", now - 3 * H, now - H, assignee=agent)

    assert update_sla_bands(now, chunk=2) == {"yellow": 0, "red": 2, "skipped": 2}
    assert "malformed SLA row skipped" in caplog.text
    for t, band in ((before, "red"), (after, "red"), (inverted, ""), (unknown_tier, "")):
        t.refresh_from_db()
        assert t.sla_band == band
    assert set(TicketEvent.objects.filter(verb="sla_skipped").values_list("ticket_id", flat=True)) == {
        inverted.pk,
        unknown_tier.pk,
    }
    assert Notification.objects.filter(reason="sla_red").count() == 2
    assert update_sla_bands(now) == {"yellow": 0, "red": 0, "skipped": 0}  # not retried forever


@pytest.mark.django_db
def test_nothing_to_do_is_two_queries(django_assert_max_num_queries):
    now = timezone.now()
    for _ in range(5):
        _running("green", now + H, now + 2 * H)
    with django_assert_max_num_queries(6):
        assert update_sla_bands(now) == {"yellow": 0, "red": 0, "skipped": 0}


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    now = timezone.now()
    agent = UserFactory(username="a1", role="Agent")
    requester = ContactFactory()
    for _ in range(30):
        _running("green", now - H, now + H, assignee=agent, requester=requester)
    with django_assert_max_num_queries(16):
        assert update_sla_bands(now)["yellow"] == 30


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_warn_once_per_ticket():
    require_row_locks()
    agent = UserFactory(username="w-agent", role="Agent")
    now = timezone.now()
    requester = ContactFactory()
    tickets = [_running("green", now - H, now + H, assignee=agent, requester=requester) for _ in range(40)]
    results = at_once(*[lambda: update_sla_bands(now, chunk=5)] * 2)
    assert sum(r["yellow"] for r in results) == len(tickets)
    assert Notification.objects.filter(reason="sla_yellow").count() == len(tickets)
    assert TicketEvent.objects.filter(verb="sla_band_changed").count() == len(tickets)

"""On-call paging chain with a controllable clock: 60 min → wake me up, +30 → next person; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from escalation.models import OnCallPage, OnCallShift
from escalation.services import escalate, oncall
from tests.factories import UserFactory
from tickets import services as core
from tickets.errors import InvalidInput
from tickets.models import Notification, Tier

T0 = dt.datetime(2026, 11, 23, 22, 0, tzinfo=dt.UTC)


@pytest.fixture
def chain(db):
    first = UserFactory(username="oncall1", role="Agent")
    second = UserFactory(username="oncall2", role="Agent")
    for order, user in enumerate((first, second), start=1):
        OnCallShift.objects.create(
            user=user, starts_at=T0 - dt.timedelta(days=1), ends_at=T0 + dt.timedelta(days=1), order=order
        )
    return first, second


def _escalate(ticket, agent):
    with time_machine.travel(T0, tick=False):
        escalate.escalate_up(
            ticket,
            agent,
            to_tier=Tier.ONCALL,
            questions=["Site down?"],
            confirmed_by=UserFactory(username="lead", role="Triage lead"),
        )
    return OnCallPage.objects.get(ticket=ticket)


def _run_twice(minutes):
    with time_machine.travel(T0 + dt.timedelta(minutes=minutes), tick=False):
        first = oncall.page_unacknowledged()
        second = oncall.page_unacknowledged()
    return first, second


def _pages(reason, user):
    return Notification.objects.filter(reason=reason, recipient_user=user)


def test_paging_chain_step_by_step(agent, manager, ticket, chain):
    first, second = chain
    page = _escalate(ticket, agent)
    assert page.next_step_at == T0 + dt.timedelta(minutes=60)
    assert _pages("oncall_new", first).count() == 1
    assert _run_twice(59) == ({"paged": 0, "skipped": 0, "failed": 0},) * 2
    run1, run2 = _run_twice(61)
    assert run1["paged"] == 1 and run2["paged"] == 0
    wake = _pages("oncall_wake_me_up", first)
    assert wake.count() == 2  # in-app + email, once
    assert set(wake.values_list("channel", flat=True)) == {"in_app", "email"}
    assert not _pages("oncall_wake_me_up", second).exists()
    assert _run_twice(85)[0]["paged"] == 0  # 30 minutes are not over yet
    run1, run2 = _run_twice(92)
    assert (run1["paged"], run2["paged"]) == (1, 0)
    assert _pages("oncall_next", second).count() == 2
    # chain exhausted: managers are paged once, then paging stops
    run1, run2 = _run_twice(125)
    assert (run1["paged"], run2["paged"]) == (1, 0)
    assert _pages("oncall_next", manager).filter(channel="in_app").count() == 1
    page.refresh_from_db()
    assert page.next_step_at is None and page.paged_users == [first.pk, second.pk, manager.pk]
    assert ticket.events.filter(verb="oncall_paged").count() == 3
    assert _run_twice(600)[0]["paged"] == 0


def test_acknowledgement_stops_the_chain(agent, ticket, chain):
    first, _ = chain
    _escalate(ticket, agent)
    with time_machine.travel(T0 + dt.timedelta(minutes=20), tick=False):
        oncall.acknowledge_page(ticket, first)
        oncall.acknowledge_page(ticket, first)  # twice: one note
    ticket.refresh_from_db()
    assert ticket.assignee == first
    assert ticket.messages.filter(body=oncall.ACK_NOTE, visibility="internal").count() == 1
    assert _run_twice(200)[0]["paged"] == 0
    assert not Notification.objects.filter(reason__in=["oncall_wake_me_up", "oncall_next"]).exists()


def test_nobody_on_call_pages_the_manager_at_once_and_shows_the_gap(agent, manager, ticket):
    page = _escalate(ticket, agent)  # nobody is on the schedule
    page.refresh_from_db()
    assert page.gap and page.paged_users == [manager.pk]
    gap = _pages("oncall_gap", manager)
    assert gap.filter(channel="in_app").count() == 1 and "nobody is on call" in gap.first().body
    assert ticket.messages.filter(body__startswith="Nobody is on call").exists()
    run1, _ = _run_twice(61)  # an hour later: nobody new to page, the managers already know
    assert run1["paged"] == 1
    page.refresh_from_db()
    assert page.next_step_at is None and not _pages("oncall_wake_me_up", manager).exists()


def test_a_paging_failure_is_retried_not_dropped(agent, ticket, chain, monkeypatch):
    page = _escalate(ticket, agent)
    real = oncall._advance
    monkeypatch.setattr(oncall, "_advance", lambda p, now: (_ for _ in ()).throw(RuntimeError("smtp down")))
    with time_machine.travel(T0 + dt.timedelta(minutes=61), tick=False):
        assert oncall.page_unacknowledged()["failed"] == 1
    page.refresh_from_db()
    assert page.next_step_at == T0 + dt.timedelta(minutes=61) + oncall.RETRY_AFTER
    monkeypatch.setattr(oncall, "_advance", real)
    with time_machine.travel(T0 + dt.timedelta(minutes=67), tick=False):
        assert oncall.page_unacknowledged()["paged"] == 1
    assert _pages("oncall_wake_me_up", chain[0]).exists()


def test_leaving_oncall_stops_paging(agent, ticket, chain):
    _escalate(ticket, agent)
    core.update_ticket(ticket, agent, tier=Tier.T4)
    assert _run_twice(61)[0]["paged"] == 0


def test_acknowledging_without_a_page(agent, ticket):
    with pytest.raises(InvalidInput, match="no on-call page"):
        oncall.acknowledge_page(ticket, agent)


def test_rota_validation(agent):
    today = timezone.localdate()
    with pytest.raises(InvalidInput, match="ends before"):
        oncall.add_tier_assignment(agent, Tier.T2, today, today - dt.timedelta(days=1))
    oncall.add_tier_assignment(agent, Tier.T2, today, today)
    with pytest.raises(InvalidInput, match="already has an entry"):
        oncall.add_tier_assignment(agent, Tier.T2, today, today)
    with pytest.raises(InvalidInput, match="ends before"):
        oncall.add_shift(agent, T0, T0)


def test_the_gap_clears_once_someone_is_on_call_and_they_are_paged(agent, manager, ticket, login):
    """Issue #15 item 15: the "gap: nobody on call" flag clears once someone is on call; the rota page
    never lists people on call while saying there is a gap; the new on-call person hears of the ticket."""
    page = _escalate(ticket, agent)
    _run_twice(61)  # chain exhausted: the managers were told, nothing else to page
    page.refresh_from_db()
    assert page.gap and page.next_step_at is None
    late = UserFactory(username="late", role="Agent")
    with time_machine.travel(T0 + dt.timedelta(minutes=70), tick=False):
        oncall.add_shift(late, T0 + dt.timedelta(minutes=65), T0 + dt.timedelta(hours=9))
        page.refresh_from_db()
        assert not page.gap
        html = login(manager).get("/oncall/").content.decode()
        assert late.get_full_name() in html.split("<h2>On call now</h2>")[1].split("</section>")[0]
        assert "gap: nobody on call" not in html and "Nobody is on call right now" not in html
        oncall.page_unacknowledged()
    paged = Notification.objects.filter(ticket=ticket, recipient_user=late, reason__startswith="oncall")
    assert paged.exists()


def test_a_shift_that_starts_later_clears_the_gap_when_it_starts(agent, manager, ticket, login):
    page = _escalate(ticket, agent)
    later = UserFactory(username="later", role="Agent")
    oncall.add_shift(later, T0 + dt.timedelta(minutes=30), T0 + dt.timedelta(hours=9))
    page.refresh_from_db()
    assert page.gap
    with time_machine.travel(T0 + dt.timedelta(minutes=31), tick=False):
        html = login(manager).get("/oncall/").content.decode()
        assert "gap: nobody on call" not in html  # someone is on call now, whatever the stored flag
        oncall.page_unacknowledged()
    page.refresh_from_db()
    assert not page.gap

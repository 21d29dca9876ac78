"""The SLA clock through a ticket's whole life, driven by the real ticket services and a moved clock."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from sla.bands import update_sla_bands
from sla.models import SlaClock
from tickets import services
from tickets.models import Notification, Status, Ticket, TicketEvent

from .conftest import LONDON, NEW_YORK, local

pytestmark = pytest.mark.django_db
H = 3600
UTC = dt.UTC


def _at(*args: int):
    return time_machine.travel(local(LONDON, *args), tick=False)


def _fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_whole_life_triage_t1_pending_open_t3_red_resolved(london, contact, agent):
    # Monday 23 March 2026, 09:00 GMT: the ticket lands in triage.
    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Sync broken", "Calendar sync stopped.")
    t = _fresh(ticket)
    assert (t.sla_band, t.sla_green_until, t.sla_yellow_until) == (
        "green",
        local(LONDON, 2026, 3, 23, 11),
        local(LONDON, 2026, 3, 23, 17),
    )

    # 10:00 approved into T1 and taken: the triage clock stops green, T1's starts.
    with _at(2026, 3, 23, 10, 0):
        services.update_ticket(ticket, agent, tier="t1")
        services.take(ticket, agent)
    triage = SlaClock.objects.get(ticket=ticket, tier="triage")
    assert (triage.stop_reason, triage.final_band, triage.business_seconds) == ("left_tier", "green", 1 * H)
    t = _fresh(ticket)
    assert t.sla_green_until == local(LONDON, 2026, 3, 23, 12)
    assert t.sla_yellow_until == local(LONDON, 2026, 3, 24, 10)  # 7 h on Monday + 1 h on Tuesday

    # 12:30: the band job turns it yellow and warns the assignee once, however often it runs.
    with _at(2026, 3, 23, 12, 30):
        assert update_sla_bands()["yellow"] == 1
        assert update_sla_bands() == {"yellow": 0, "red": 0, "skipped": 0}
    assert _fresh(ticket).sla_band == "yellow"
    assert list(
        Notification.objects.filter(reason="sla_yellow").values_list("recipient_user", flat=True)
    ) == [agent.pk]

    # 13:00 Pending: the clock pauses with 5 business hours of yellow left.
    with _at(2026, 3, 23, 13, 0):
        services.change_status(ticket, Status.PENDING, by=agent)
    t = _fresh(ticket)
    assert (t.sla_band, t.sla_green_until, t.sla_yellow_until) == ("paused", None, None)
    assert (t.sla_paused_green_seconds, t.sla_paused_yellow_seconds) == (0, 5 * H)
    with _at(2026, 3, 25, 12, 0):
        assert update_sla_bands()["red"] == 0  # paused tickets never move

    # Friday 16:00 the requester replies: back to Open, the clock resumes across the weekend and the
    # change to summer time (Sunday 29 March): 1 h on Friday + 4 h on Monday = 13:00 BST.
    with _at(2026, 3, 27, 16, 0):
        services.add_requester_reply(ticket, contact, "Still broken.")
    t = _fresh(ticket)
    assert t.status == Status.OPEN and t.sla_band == "yellow"
    assert t.sla_yellow_until == local(LONDON, 2026, 3, 30, 13) == dt.datetime(2026, 3, 30, 12, tzinfo=UTC)
    assert Notification.objects.filter(reason="sla_yellow").count() == 1  # same clock: no second warning

    # Monday 10:00 BST: escalated to T3; the T1 clock stops after 5 business hours (yellow).
    with _at(2026, 3, 30, 10, 0):
        services.update_ticket(ticket, agent, tier="t3")
    t1 = SlaClock.objects.get(ticket=ticket, tier="t1")
    assert (t1.stop_reason, t1.final_band, t1.business_seconds) == ("left_tier", "yellow", 5 * H)
    t = _fresh(ticket)
    assert (t.sla_band, t.sla_green_until) == ("green", local(LONDON, 2026, 3, 31, 10))
    assert t.sla_yellow_until == local(LONDON, 2026, 4, 1, 10)

    # Tuesday 10:30 it turns yellow, Wednesday 10:30 red: one warning each, however often the job runs.
    with _at(2026, 3, 31, 10, 30):
        assert update_sla_bands()["yellow"] == 1
    with _at(2026, 4, 1, 10, 30):
        assert update_sla_bands()["red"] == 1
        assert update_sla_bands() == {"yellow": 0, "red": 0, "skipped": 0}
    assert _fresh(ticket).sla_band == "red"
    assert Notification.objects.filter(reason="sla_red", ticket=ticket).count() == 1

    # Wednesday 11:00: resolved; the T3 clock stops red after 17 business hours (7 + 8 + 2).
    with _at(2026, 4, 1, 11, 0):
        services.change_status(ticket, Status.RESOLVED, by=agent)
    t3 = SlaClock.objects.get(ticket=ticket, tier="t3")
    assert (t3.stop_reason, t3.final_band, t3.business_seconds) == ("resolved", "red", 17 * H)
    t = _fresh(ticket)
    assert (t.sla_band, t.sla_green_until, t.sla_yellow_until) == ("", None, None)
    assert not SlaClock.objects.filter(ticket=ticket, stopped_at__isnull=True).exists()
    verbs = list(
        TicketEvent.objects.filter(ticket=ticket, verb__startswith="sla_").values_list("verb", flat=True)
    )
    assert verbs == [
        "sla_clock_started",
        "sla_clock_stopped",
        "sla_clock_started",
        "sla_band_changed",
        "sla_clock_paused",
        "sla_clock_resumed",
        "sla_clock_stopped",
        "sla_clock_started",
        "sla_band_changed",
        "sla_band_changed",
        "sla_clock_stopped",
    ]


def test_reply_stops_the_clock_and_a_new_question_starts_another(london, contact, agent):
    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Question", "How do I export?")
    with _at(2026, 3, 23, 9, 30):
        services.add_reply(ticket, agent, "Like this.")
    clock = SlaClock.objects.get(ticket=ticket)
    assert (clock.stop_reason, clock.final_band, clock.business_seconds) == ("responded", "green", 1800)
    t = _fresh(ticket)
    assert (t.sla_band, t.sla_green_until, t.sla_yellow_until) == ("", None, None)
    # The requester asks again (ticket still Open): the tier's clock starts again.
    with _at(2026, 3, 23, 16, 0):
        services.add_requester_reply(ticket, contact, "And import?")
    t = _fresh(ticket)
    assert (t.sla_band, t.sla_green_until) == ("green", local(LONDON, 2026, 3, 24, 10))
    assert SlaClock.objects.filter(ticket=ticket, tier="triage").count() == 2


def test_reply_with_pending_then_requester_reply_starts_a_new_clock(london, contact, agent):
    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Question", "How do I export?")
        services.add_reply(ticket, agent, "Like this.", status=Status.PENDING)
    assert _fresh(ticket).sla_band == ""
    with _at(2026, 3, 24, 9, 0):
        services.add_requester_reply(ticket, contact, "Thanks, but…")
    t = _fresh(ticket)
    assert t.status == Status.OPEN and t.sla_band == "green"
    assert SlaClock.objects.filter(ticket=ticket, stopped_at__isnull=True).count() == 1


def test_reopening_a_resolved_ticket_starts_a_clock(london, contact, agent):
    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Question", "How do I export?")
        services.change_status(ticket, Status.RESOLVED, by=agent)
    with _at(2026, 3, 23, 10, 0):
        services.change_status(ticket, Status.OPEN, by=agent)
    assert _fresh(ticket).sla_green_until == local(LONDON, 2026, 3, 23, 12)


def test_tier_change_while_on_hold_starts_a_paused_clock(london, contact, agent):
    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Question", "How do I export?")
        services.change_status(ticket, Status.HOLD, by=agent, hold_days=2)
        services.update_ticket(ticket, agent, tier="t2")
    t = _fresh(ticket)
    assert (t.sla_band, t.sla_paused_green_seconds, t.sla_paused_yellow_seconds) == ("paused", 8 * H, 16 * H)
    with _at(2026, 3, 23, 11, 0):
        services.change_status(ticket, Status.OPEN, by=agent)
    assert _fresh(ticket).sla_green_until == local(LONDON, 2026, 3, 24, 11)


def test_new_york_fall_back_counts_real_hours(db, contact, agent):
    from sla.models import BusinessCalendar, SlaPolicy

    cal = BusinessCalendar.objects.create(
        name="NY 24/7", time_zone="America/New_York", weekly_hours=[["00:00", "00:00"]] * 7
    )
    SlaPolicy.objects.filter(tier="triage").update(calendar=cal, green_seconds=4 * H, yellow_seconds=8 * H)
    # Sunday 1 November 2026, 00:00 EDT; clocks go back at 02:00 → 01:00.
    with time_machine.travel(local(NEW_YORK, 2026, 11, 1, 0, 0), tick=False):
        ticket = services.open_ticket(contact, "Night", "Help")
    t = _fresh(ticket)
    assert t.sla_green_until == dt.datetime(2026, 11, 1, 8, tzinfo=UTC)  # 03:00 EST, 4 real hours later
    assert t.sla_green_until.astimezone(NEW_YORK).hour == 3


def test_unknown_tier_policy_starts_no_clock_and_is_recorded(london, contact, agent):
    from sla.models import SlaPolicy

    SlaPolicy.objects.filter(tier="t4").delete()
    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Q", "Body")
        services.update_ticket(ticket, agent, tier="t4")
    t = _fresh(ticket)
    assert (t.sla_band, t.sla_green_until) == ("", None)
    assert TicketEvent.objects.filter(ticket=ticket, verb="sla_no_policy").exists()


def test_priority_policy_wins_and_running_clocks_keep_their_limits(london, contact, agent):
    from sla.models import SlaPolicy

    SlaPolicy.objects.create(tier="triage", priority="urgent", green_seconds=1800, yellow_seconds=H)
    with _at(2026, 3, 23, 9, 0):
        urgent = services.open_ticket(contact, "Down", "All down", priority="urgent")
        normal = services.open_ticket(contact, "Q", "Body")
    assert _fresh(urgent).sla_green_until == local(LONDON, 2026, 3, 23, 9, 30)
    SlaPolicy.objects.filter(tier="triage", priority="").update(green_seconds=60, yellow_seconds=120)
    with _at(2026, 3, 23, 10, 0):
        services.change_status(normal, Status.PENDING, by=agent)
    assert _fresh(normal).sla_paused_green_seconds == H  # 2 h budget from the start, 1 h used


def test_a_failing_receiver_rolls_the_change_back(london, contact, monkeypatch):
    from sla import clock

    monkeypatch.setattr(clock, "policy_for", lambda *a: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.open_ticket(contact, "Rolled back", "Body")
    assert not Ticket.objects.filter(subject="Rolled back").exists()


def test_clock_skips_bank_holidays_of_the_organizations_calendar(london, contact, agent):
    from sla.models import BusinessCalendar

    uk = BusinessCalendar.objects.create(
        name="England",
        time_zone="Europe/London",
        country="GB",
        subdivision="ENG",
        weekly_hours=[["09:00", "17:00"]] * 5 + [None, None],
    )
    uk.organizations.add(contact.organization)
    # Thursday 2 April 2026, 16:00 BST; Good Friday and Easter Monday are bank holidays.
    with _at(2026, 4, 2, 16, 0):
        ticket = services.open_ticket(contact, "Easter", "Help")
        services.update_ticket(ticket, agent, tier="t2")
    t = _fresh(ticket)
    assert t.sla_green_until == local(LONDON, 2026, 4, 7, 16)  # 1 h Thursday + 7 h Tuesday
    assert SlaClock.objects.get(ticket=ticket, tier="t2").calendar == uk


def test_transition_comment_is_not_the_tiers_answer(london, contact, agent):
    from tickets.models import MessageKind

    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Q", "Body")
        services.update_ticket(ticket, agent, tier="t1")
    with _at(2026, 3, 23, 10, 0):
        services.add_reply(ticket, agent, "We've passed this to our engineers.", kind=MessageKind.TRANSITION)
        assert _fresh(ticket).sla_band == "green"  # still running
        services.update_ticket(ticket, agent, tier="t3")
    t1 = SlaClock.objects.get(ticket=ticket, tier="t1")
    assert (t1.stop_reason, t1.business_seconds) == ("left_tier", 3600)

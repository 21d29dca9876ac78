"""Stale-ticket nudges (002) and T3 holding-reply offers (004): once per stale period, idempotent."""

from __future__ import annotations

import pytest
import time_machine

from sla.models import TicketSlaState
from sla.nudges import nudge_stale_tickets
from tickets import services
from tickets.models import Message, Notification, Status, TicketEvent

from .conftest import LONDON, local

pytestmark = pytest.mark.django_db


def _at(*args: int):
    return time_machine.travel(local(LONDON, *args), tick=False)


def _run(*args: int) -> dict[str, int]:
    with _at(*args):
        return nudge_stale_tickets()


def test_an_owned_ticket_is_nudged_once_per_stale_business_day(london, contact, agent):
    with _at(2026, 3, 23, 9, 0):  # Monday
        ticket = services.open_ticket(contact, "Sync", "Broken")
        services.take(ticket, agent)
        unowned = services.open_ticket(contact, "Other", "Nobody has it")
        waiting = services.open_ticket(contact, "Third", "Pending")
        services.take(waiting, agent)
        services.change_status(waiting, Status.PENDING, by=agent)

    assert _run(2026, 3, 23, 16, 59)["nudged"] == 0
    assert _run(2026, 3, 23, 17, 0)["nudged"] == 1  # 8 business hours without a public update
    assert _run(2026, 3, 23, 17, 1)["nudged"] == 0
    assert _run(2026, 3, 24, 12, 0)["nudged"] == 0
    assert _run(2026, 3, 24, 17, 0)["nudged"] == 1  # a second stale business day, a second nudge
    assert _run(2026, 3, 24, 17, 5)["nudged"] == 0
    nudges = Notification.objects.filter(reason="stale_nudge")
    assert list(nudges.values_list("ticket_id", "recipient_user")) == [(ticket.pk, agent.pk)] * 2
    assert TicketEvent.objects.filter(verb="stale_nudge", ticket=ticket).count() == 2
    assert not Notification.objects.filter(ticket__in=[unowned, waiting], reason="stale_nudge").exists()

    with _at(2026, 3, 24, 17, 30):  # after hours: the next stale day ends Wednesday 17:00
        services.add_reply(ticket, agent, "Still on it.")
    assert _run(2026, 3, 25, 16, 59)["nudged"] == 0
    assert _run(2026, 3, 25, 17, 0)["nudged"] == 1


def test_t3_ticket_unanswered_two_business_days_gets_one_holding_reply_offer(london, contact, agent, login):
    with _at(2026, 3, 20, 9, 0):  # Friday
        ticket = services.open_ticket(contact, "Deep bug", "It crashes")
        services.update_ticket(ticket, agent, tier="t3", assignee=agent)
    assert _run(2026, 3, 23, 16, 59)["holding_offered"] == 0
    assert _run(2026, 3, 23, 17, 0)["holding_offered"] == 1  # Fri 8 h + Mon 8 h
    assert _run(2026, 3, 23, 17, 1)["holding_offered"] == 0
    state = TicketSlaState.objects.get(ticket=ticket)
    assert "we're still looking into this" in state.holding_reply
    offer = Notification.objects.get(reason="holding_reply_offered")
    assert offer.recipient_user_id == agent.pk

    # One click sends it as a public reply; that restarts the 2-day period and withdraws the offer.
    with _at(2026, 3, 24, 9, 0):
        response = login(agent).post(f"/sla/tickets/{ticket.number}/holding-reply/")
    assert response.status_code == 302
    reply = Message.objects.filter(ticket=ticket, visibility="public", author_user=agent).get()
    assert "still looking into this" in reply.body
    state.refresh_from_db()
    assert (state.holding_reply, state.holding_due_at) == ("", local(LONDON, 2026, 3, 25, 17))
    assert login(agent).post(f"/sla/tickets/{ticket.number}/holding-reply/").status_code == 302
    assert Message.objects.filter(ticket=ticket, visibility="public", author_user=agent).count() == 1


def test_leaving_t3_or_resolving_cancels_the_timers(london, contact, agent):
    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Deep bug", "It crashes")
        services.update_ticket(ticket, agent, tier="t3", assignee=agent)
        services.update_ticket(ticket, agent, tier="t4")
    assert TicketSlaState.objects.get(ticket=ticket).holding_due_at is None
    with _at(2026, 3, 23, 10, 0):
        services.change_status(ticket, Status.RESOLVED, by=agent)
    assert _run(2026, 3, 30, 9, 0) == {"nudged": 0, "holding_offered": 0}

"""Queue rows marked new for an agent: opened, or written to by the requester, since they last had the
ticket open (the workspace's beacon records it; no write on GET)."""

from __future__ import annotations

import pytest

from tests.factories import TicketFactory
from tickets import services
from tickets.models import TicketSeen, Tier

pytestmark = pytest.mark.django_db


def _row(client, number):
    body = client.get("/queues/t1/").content.decode()
    return body.split(f'id="row-{number}"', 1)[1].split("</tr>", 1)[0], body


def test_new_until_opened_then_new_again_when_the_requester_writes(login, agent, triage_lead):
    ticket = TicketFactory(tier=Tier.T1, subject="Printer on fire")
    client = login(agent)
    row, page = _row(client, ticket.number)
    assert f'id="row-{ticket.number}" class="unread"' in page and "New since you last opened it" in row
    client.get(ticket.get_absolute_url())
    assert not TicketSeen.objects.exists()  # opening the page writes nothing (the beacon does)
    assert client.post(f"/tickets/{ticket.number}/seen/").status_code == 204
    row, page = _row(client, ticket.number)
    assert 'class="unread"' not in page.split(f'id="row-{ticket.number}"', 1)[1][:20]
    assert "New since you last opened it" not in row
    # Another agent has not opened it: still new for them.
    other = login(triage_lead)
    assert "New since you last opened it" in _row(other, ticket.number)[0]
    # The requester writes again: new again for the agent.
    client = login(agent)
    services.add_requester_reply(ticket, ticket.requester, "Now it smokes too.")
    assert "New since you last opened it" in _row(client, ticket.number)[0]
    # Opening twice keeps one row per person and ticket (an upsert).
    client.post(f"/tickets/{ticket.number}/seen/")
    client.post(f"/tickets/{ticket.number}/seen/")
    assert TicketSeen.objects.filter(user=agent, ticket=ticket).count() == 1


def test_requesters_cannot_use_the_beacon(client, ticket):
    from tests.factories import requester_user

    client.force_login(requester_user(ticket.requester))
    assert client.post(f"/tickets/{ticket.number}/seen/").status_code in (302, 403, 404)
    assert not TicketSeen.objects.exists()

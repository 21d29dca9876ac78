"""Routing to Engagement, Product and Marketing (004)."""

from __future__ import annotations

import pytest

from escalation.services import routing
from tests.factories import UserFactory
from tickets.errors import InvalidInput
from tickets.models import Team, Visibility


def test_send_to_engagement_removes_agent_and_follows(agent, ticket):
    from tickets import services as core

    core.take(ticket, agent)
    routing.send_to_engagement(ticket, agent, note="Client threatens to close the account.", follow=True)
    ticket.refresh_from_db()
    assert ticket.team.slug == "engagement" and ticket.assignee is None
    assert agent in ticket.followers.all()
    assert ticket.messages.filter(visibility=Visibility.INTERNAL, body__contains="close the account").exists()


def test_a_ticket_sent_to_engagement_leaves_the_tier_queue_and_its_clock(agent, ticket, login):
    """Engagement owns it: T1 agents must not pick it up from their queue, and T1's SLA stops counting."""
    from sla.models import SlaClock
    from tickets import services as core

    core.update_ticket(ticket, None, tier="t1")
    assert f'id="row-{ticket.number}"' in login(agent).get("/queues/t1/").content.decode()
    routing.send_to_engagement(ticket, agent, note="Wants a call about their invoice.")
    c = login(agent)
    assert f'id="row-{ticket.number}"' not in c.get("/queues/t1/").content.decode()
    assert f'id="row-{ticket.number}"' in c.get("/queues/team-engagement/").content.decode()
    assert not SlaClock.objects.filter(ticket=ticket, stopped_at__isnull=True).exists()
    assert SlaClock.objects.filter(ticket=ticket, tier="t1", stop_reason="left_view").exists()


def test_engagement_member_must_be_in_the_team(agent, ticket):
    outsider = UserFactory(username="outsider", role="Agent")
    with pytest.raises(InvalidInput, match="member of the Engagement team"):
        routing.send_to_engagement(ticket, agent, member=outsider)
    Team.objects.get(slug="engagement").members.add(outsider)
    routing.send_to_engagement(ticket, agent, member=outsider)
    ticket.refresh_from_db()
    assert ticket.assignee == outsider


@pytest.mark.parametrize(
    "note, expected",
    [
        ("Users keep asking for iCal export.", "**Product**\nUsers keep asking for iCal export."),
        ("**Product** OFI: the button is hidden.", "**Product** OFI: the button is hidden."),
    ],
)
def test_notify_product(agent, ticket, note, expected):
    routing.notify_product(ticket, agent, note=note)
    ticket.refresh_from_db()
    assert ticket.notify_product
    written = ticket.messages.filter(visibility=Visibility.INTERNAL).last()
    assert written.body == expected and written.format == "markdown"


def test_notify_product_needs_an_explanation(agent, ticket):
    with pytest.raises(InvalidInput, match="why Product"):
        routing.notify_product(ticket, agent, note="**Product**  ")
    ticket.refresh_from_db()
    assert not ticket.notify_product


def test_marketing_follower_or_assignee(agent, ticket):
    with pytest.raises(InvalidInput, match="no members"):
        routing.send_to_marketing(ticket, agent, note="Partner API request")
    lead = UserFactory(username="paul", first_name="Paul", last_name="Hall", role="Agent")
    Team.objects.get(slug="marketing").members.add(lead)
    routing.send_to_marketing(ticket, agent, note="Partner API request")
    assert lead in ticket.followers.all()
    assert ticket.messages.filter(visibility=Visibility.INTERNAL).last().body.startswith("@Paul Hall")
    routing.send_to_marketing(ticket, agent, note="Done on our side", done=True)
    ticket.refresh_from_db()
    assert ticket.assignee == lead and ticket.team.slug == "marketing"


def test_any_hand_over_to_another_team_stops_the_tier_clock(agent, ticket):
    """Marketing taking a ticket over ("done") is a hand-over too: the tier's SLA stops counting."""
    from sla.models import SlaClock
    from tickets import services as core

    core.update_ticket(ticket, None, tier="t1")
    lead = UserFactory(username="paul2", role="Agent")
    Team.objects.get(slug="marketing").members.add(lead)
    routing.send_to_marketing(ticket, agent, note="Partnership request", done=True)
    assert not SlaClock.objects.filter(ticket=ticket, stopped_at__isnull=True).exists()
    core.add_requester_reply(ticket, ticket.requester, "Any update?")  # Marketing's now: no tier clock again
    assert not SlaClock.objects.filter(ticket=ticket, stopped_at__isnull=True).exists()

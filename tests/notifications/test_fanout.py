"""Followers, mentions and hand-offs: each path tells exactly the right people, once, never the actor."""

from __future__ import annotations

import pytest

from escalation.services import routing as esc
from notifications import services
from tickets import services as core
from tickets.models import Kind, Notification, Status, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(ticket, agent, staff):
    ann, bob = staff("ann"), staff("bob")
    for user in (ann, bob, agent):
        core.set_following(ticket, user, True)
    return ticket, ann, bob


def test_public_reply_tells_followers_but_not_the_actor(followed, agent, notices):
    ticket, ann, bob = followed
    core.add_reply(ticket, agent, "We are on it.")
    assert notices("followed_reply") == {"ann": 1, "bob": 1}


def test_internal_note_status_and_assignee_reach_followers_once(followed, agent, notices):
    ticket, ann, bob = followed
    core.add_note(ticket, ann, "Looks like the sync job.")
    core.change_status(ticket, Status.PENDING, by=agent)
    core.update_ticket(ticket, agent, assignee=bob)
    assert notices("followed_note") == {"bob": 1, "agent": 1}
    assert notices("followed_status") == {"ann": 1, "bob": 1}
    # bob hears "assigned to you" instead of the follower notice; ann as a follower
    assert notices("followed_assignee") == {"ann": 1}
    assert notices("assigned") == {"bob": 1}


def test_requester_reply_tells_followers_and_the_owner_once(followed, agent, notices):
    ticket, ann, bob = followed
    core.take(ticket, agent)
    core.add_requester_reply(ticket, ticket.requester, "Still broken.")
    assert notices("followed_requester") == {"ann": 1, "bob": 1}
    assert notices("requester_replied") == {"agent": 1}


def test_mention_notifies_and_follows_unknown_stays_text(ticket, agent, staff, notices):
    paul = staff("paul")
    staff("gone", is_active=False)
    core.add_note(ticket, agent, "@Paul can you look? Also @gone and @nobody, and @agent myself.")
    assert notices("mention") == {"paul": 1}
    assert ticket.followers.filter(pk=paul.pk).exists()
    assert not ticket.followers.filter(username="gone").exists()
    assert "@nobody" in ticket.messages.last().body


def test_team_mention_notifies_members(ticket, agent, staff, notices):
    eng = Team.objects.get(slug="engagement")
    e1, e2 = staff("e1"), staff("e2")
    eng.members.add(e1, e2, agent)
    core.add_note(ticket, agent, "@engagement please have a look")
    assert notices("mention") == {"e1": 1, "e2": 1}


def test_public_reply_mention_does_nothing(ticket, agent, staff, notices):
    staff("paul")
    core.add_reply(ticket, agent, "Hi @paul")
    assert notices("mention") == {}


def test_notify_product_reaches_the_product_team(ticket, agent, staff, notices):
    product = Team.objects.get(slug="product")
    p1 = staff("p1")
    product.members.add(p1, agent)
    esc.notify_product(ticket, agent, note="Customers keep asking about exports")
    assert notices("handoff_product") == {"p1": 1}
    assert "bug" not in Notification.objects.get(reason="handoff_product").body


def test_notify_product_warns_on_bug_kind(ticket, agent, staff):
    Team.objects.get(slug="product").members.add(staff("p1"))
    core.update_ticket(ticket, agent, kind=Kind.BUG)
    esc.notify_product(ticket, agent, note="Export crashes")
    assert "bug or feature request" in Notification.objects.get(reason="handoff_product").body


def test_engagement_handoff_notifies_team_or_member(ticket, agent, staff, notices):
    eng = Team.objects.get(slug="engagement")
    e1, e2 = staff("e1"), staff("e2")
    eng.members.add(e1, e2)
    esc.send_to_engagement(ticket, agent, note="Business question")
    assert notices("handoff_engagement") == {"e1": 1, "e2": 1}


def test_engagement_handoff_to_a_member_tells_them_once(ticket, agent, staff, notices):
    eng = Team.objects.get(slug="engagement")
    e1 = staff("e1")
    eng.members.add(e1, staff("e2"))
    esc.send_to_engagement(ticket, agent, note="Business question", member=e1)
    assert notices("handoff_engagement") == {}
    assert notices("assigned") == {"e1": 1}


def test_marketing_handoff_tells_the_lead_once(ticket, agent, staff, notices):
    lead = staff("paul", first_name="Paul", last_name="Hall")
    Team.objects.get(slug="marketing").members.add(lead)
    esc.send_to_marketing(ticket, agent, note="Great review to reuse")
    got = notices()
    assert got.get("paul") == 1, got


def test_notify_is_one_insert_and_idempotent(ticket, agent, staff, django_assert_max_num_queries):
    users = [staff(f"f{i}") for i in range(50)]
    with django_assert_max_num_queries(2):  # preferences + one INSERT
        assert services.notify(users, "followed_reply", ticket, "x", key="k1", actor=agent) == 50
    services.notify(users, "followed_reply", ticket, "x", key="k1", actor=agent)
    assert Notification.objects.filter(reason="followed_reply").count() == 50


def test_notify_skips_actor(ticket, agent, staff):
    assert services.notify([agent], "followed_reply", ticket, "x", key="k", actor=agent) == 0

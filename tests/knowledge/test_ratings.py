"""Satisfaction: the signed one-click link, one rating per ticket per requester, forgery refused, the bad
rating told to the account manager, the portal form."""

from __future__ import annotations

import pytest
from django.core import signing

from knowledge import ratings
from knowledge.models import Rating
from tests.factories import ContactFactory, UserFactory, requester_user
from tickets import services
from tickets.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(ticket, agent):
    services.update_ticket(ticket, agent, tier="t1", assignee=agent)
    services.add_reply(ticket, agent, "Fixed: reconnect the calendar.", status="resolved")
    ticket.refresh_from_db()
    return ticket


def link(ticket, score="good"):
    return ratings.rating_url(ticket, ticket.requester, score).split("8000", 1)[1]


def test_the_resolving_reply_email_carries_the_rating_links(resolved):
    rows = Notification.objects.filter(ticket=resolved, recipient_email=resolved.requester.email)
    assert rows.count() == 1  # one email: the answer, then the one-click rating
    assert rows[0].reason == "reply" and "Fixed: reconnect" in rows[0].body and "/rate/" in rows[0].body
    from tickets import mailing

    email = mailing.build(rows[0])
    html = email.alternatives[0][0]
    assert "Fixed: reconnect" in html and 'href="http://127.0.0.1:8000/rate/' in html
    assert "/rate/" in email.body


def test_resolving_without_a_reply_sends_the_rating_email_once(ticket, agent):
    services.change_status(ticket, "resolved", by=agent)
    services.change_status(ticket, "open", by=agent)
    services.change_status(ticket, "resolved", by=agent)
    rows = Notification.objects.filter(reason="rating_request", ticket=ticket)
    assert rows.count() == 2 and all("/rate/" in r.body for r in rows)  # one per resolution


def test_one_click_rates_once(client, resolved, agent):
    response = client.get(link(resolved, "good"))
    assert response.status_code == 200 and b"Thank you" in response.content
    again = client.get(link(resolved, "bad"))  # the same email's other button, or a reused link
    assert b"already rated" in again.content
    rating = Rating.objects.get()
    assert (rating.score, rating.tier, rating.agent) == ("good", "t1", agent)
    client.post(link(resolved, "good"), {"comment": "Quick and clear."})
    client.post(link(resolved, "good"), {"comment": "Second comment"})
    assert Rating.objects.get().comment == "Quick and clear."
    assert Rating.objects.count() == 1


def test_forged_or_tampered_links_are_refused(client, resolved):
    token = ratings.token_for(resolved, resolved.requester)
    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.get(f"/rate/{tampered}/good/").status_code == 400
    forged = signing.dumps({"t": resolved.pk, "c": resolved.requester_id}, salt="other", compress=True)
    assert client.get(f"/rate/{forged}/good/").status_code == 400
    other = ContactFactory()
    foreign = ratings.token_for(resolved, other)  # a genuine signature for someone who did not ask
    assert client.get(f"/rate/{foreign}/good/").status_code == 400
    assert client.get(link(resolved, "excellent")).status_code == 400
    assert not Rating.objects.exists()


def test_unresolved_ticket_cannot_be_rated(client, ticket):
    assert client.get(link(ticket)).status_code == 400
    assert not Rating.objects.exists()


def test_bad_rating_tells_the_account_manager(client, resolved):
    am = UserFactory(username="am", role="Agent")
    org = resolved.organization
    org.account_manager = am
    org.save()
    client.get(link(resolved, "bad"))
    client.post(link(resolved, "bad"), {"comment": "Took far too long."})
    notes = Notification.objects.filter(reason="bad_rating", recipient_user=am).order_by("id")
    assert notes.count() == 2 and "Took far too long." in notes[1].body


def test_portal_rating(client, resolved):
    user = requester_user(resolved.requester)
    client.force_login(user)
    page = client.get(resolved.get_absolute_url()).content.decode()
    assert "How did we do?" in page
    client.post(f"/tickets/{resolved.number}/rate/", {"score": "okay", "comment": "Fine"})
    client.post(f"/tickets/{resolved.number}/rate/", {"score": "bad"})
    assert list(Rating.objects.values_list("score", "comment")) == [("okay", "Fine")]
    assert "You rated this request" in client.get(resolved.get_absolute_url()).content.decode()


def test_a_colleague_cannot_rate_someone_elses_ticket(client, resolved):
    colleague = ContactFactory(organization=resolved.organization)
    client.force_login(requester_user(colleague))
    client.post(f"/tickets/{resolved.number}/rate/", {"score": "good"})
    assert not Rating.objects.exists()

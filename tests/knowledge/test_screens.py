"""Staff and help-centre list screens: constant queries per page; the measures."""

from __future__ import annotations

import pytest
from django.utils import timezone

from knowledge import ratings, services
from knowledge.measures import measures
from tests.factories import ContactFactory
from tickets import services as tickets

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(make_article):
    return [make_article(f"Article {n}", f"Body {n} calendar") for n in range(12)]


def test_help_lists(client, many, category, django_assert_max_num_queries):
    for url in ("/help/", category.get_absolute_url(), "/help/search/?q=calendar"):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_staff_lists(login, manager, many, agent, ticket, django_assert_max_num_queries):
    for n in range(5):
        msg = tickets.add_reply(ticket, agent, f"Answer {n}")
        services.propose(agent, "user_doc", message=msg)
    client = login(manager)
    for url in ("/kb/", "/kb/proposals/", "/kb/measures/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_agent_cannot_see_measures(login, agent):
    assert login(agent).get("/kb/measures/").status_code == 403


def test_measures(manager, agent, make_article):
    article = make_article("Reconnect")
    one = tickets.open_ticket(ContactFactory(), "One", "Help")
    two = tickets.open_ticket(ContactFactory(), "Two", "Help")
    tickets.add_reply(one, agent, f"See /help/articles/{article.slug}/", status="resolved")
    tickets.add_reply(two, agent, "Try again")
    tickets.add_requester_reply(two, two.requester, "Still broken")
    tickets.add_reply(two, agent, "Fixed now", status="resolved")
    for t, score in ((one, "good"), (two, "bad")):
        t.refresh_from_db()
        ratings.rate(t, t.requester, score)
    m = measures()
    assert (m["citing"]["cited"], m["citing"]["total"]) == (1, 3)
    assert (m["one_touch"]["one"], m["one_touch"]["total"]) == (1, 2)
    assert m["satisfaction"]["overall"]["good"] == 1 and m["satisfaction"]["overall"]["bad"] == 1
    by_agent = {r["name"]: r for r in m["satisfaction"]["by_agent"]}
    assert by_agent["\u2014"]["total"] == 2  # nobody took the tickets
    assert m["satisfaction"]["by_tier"][0]["name"] == "Triage"


def test_dashboard_panel(login, manager, agent, ticket):
    from knowledge.models import Rating

    tickets.add_reply(ticket, agent, "Done", status="resolved")
    ticket.refresh_from_db()
    ratings.rate(ticket, ticket.requester, "good")
    assert Rating.objects.count() == 1
    client = login(manager)
    assert 'id="kb-measures-slot"' in client.get("/dashboard/").content.decode()
    today = timezone.localdate().isoformat()
    body = client.get("/kb/measures/panel/", {"from": today, "to": today}).content.decode()
    assert 'id="kb-measures"' in body and "100.0% good" in body
    assert "100.0% good" in client.get("/kb/measures/panel/", {"from": "x"}).content.decode()


def test_edit_link_only_for_those_who_may_edit(login, manager, agent, make_article):
    theirs = make_article("Reset a password")
    mine = make_article("Sync a calendar", owner=agent)
    body = login(agent).get("/kb/").content.decode()
    assert f'href="/kb/{theirs.pk}/">edit<' not in body
    assert f'href="/kb/{mine.pk}/">edit<' in body
    assert login(agent).get(f"/kb/{mine.pk}/").status_code == 200
    assert f'href="/kb/{theirs.pk}/">edit<' in login(manager).get("/kb/").content.decode()

"""Internal articles are never visible to requesters or anonymous visitors, by any path."""

from __future__ import annotations

import pytest

from tests.factories import requester_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def internal(make_article):
    return make_article(
        "Calendar sync server runbook", "Restart the calendar sync worker.", audience="internal"
    )


@pytest.fixture
def public(make_article):
    return make_article("Calendar sync troubleshooting", "Check calendar sync settings.")


@pytest.fixture
def requester(contact):
    return requester_user(contact)


def test_article_page(client, internal, public, requester, agent):
    for who in (None, requester):
        if who:
            client.force_login(who)
        assert client.get(internal.get_absolute_url()).status_code == 404
        assert client.get(public.get_absolute_url()).status_code == 200
    client.force_login(agent)
    assert client.get(internal.get_absolute_url()).status_code == 200


def test_search_home_and_category(client, internal, public, requester, category):
    client.force_login(requester)
    for url in ("/help/", "/help/search/?q=calendar+sync", category.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "Calendar sync troubleshooting" in body
        assert "runbook" not in body


def test_request_suggestions_and_deflection(client, internal, public, requester):
    client.force_login(requester)
    body = client.get("/help/suggest/", {"subject": "calendar sync", "body": "server worker restart"}).content
    assert b"troubleshooting" in body and b"runbook" not in body
    assert client.post(f"/help/articles/{internal.slug}/answered/").status_code == 404
    assert client.post(f"/help/articles/{internal.slug}/vote/", {"helpful": "yes"}).status_code == 404


def test_api(client, internal, public, requester, agent):
    for who in (None, requester):
        if who:
            client.force_login(who)
        slugs = [a["slug"] for a in client.get("/api/articles/").json()["results"]]
        assert slugs == [public.slug]
        searched = [a["slug"] for a in client.get("/api/articles/", {"q": "calendar sync"}).json()["results"]]
        assert searched == [public.slug]
        assert client.get(f"/api/articles/{internal.slug}/").status_code == 404
    client.force_login(agent)
    assert {a["slug"] for a in client.get("/api/articles/").json()["results"]} == {public.slug, internal.slug}


def test_api_empty_search_is_400(client, public):
    response = client.get("/api/articles/", {"q": " "})
    assert response.status_code == 400 and "q" in response.json()


def test_workspace_panel_offers_only_public_articles_for_the_reply(login, agent, ticket, internal, public):
    body = login(agent).get(ticket.get_absolute_url()).content.decode()
    assert "Suggested docs" in body
    assert body.count("Insert into reply") == 1  # the public one; the internal one is listed for staff only
    assert internal.get_absolute_url() not in body.split('data-insert="')[1].split('"')[0]

"""Help-centre search: ranking, typo suggestions (PostgreSQL), the plain fallback, bad input."""

from __future__ import annotations

import pytest
from django.db import connection

from knowledge import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixture_articles(make_article):
    return {
        "noise1": make_article("Calendar colours", "Calendar sync settings mention sync once."),
        "noise2": make_article(
            "Sharing a calendar", "Share your calendar; sync happens later. Calendar sync."
        ),
        "exact": make_article("Calendar sync", "Turn it off and on."),
        "reset": make_article("Reset your password", "Open Settings, then Security, then Reset password."),
        "internal": make_article("Calendar sync internals", "Server side", audience="internal"),
        "draft": make_article("Calendar sync draft", "Not yet", status="draft"),
    }


def titles(result):
    return [a.title for a in result.articles]


def test_exact_title_hit_is_first(fixture_articles):
    result = selectors.search(selectors.public_articles(), "calendar sync")
    assert titles(result)[0] == "Calendar sync"
    assert "Calendar sync internals" not in titles(result) and "Calendar sync draft" not in titles(result)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm suggestions are PostgreSQL only")
def test_typo_is_found_on_postgresql(fixture_articles):
    result = selectors.search(selectors.public_articles(), "pasword")
    assert result.articles == []
    assert [a.title for a in result.suggestions] == ["Reset your password"]


def test_plain_fallback_without_postgresql(fixture_articles, monkeypatch):
    monkeypatch.setattr(selectors, "_is_pg", lambda: False)
    result = selectors.search(selectors.public_articles(), "calendar sync")
    assert titles(result)[0] == "Calendar sync"
    assert "Calendar sync internals" not in titles(result)


def test_typo_is_found_without_postgresql(fixture_articles, monkeypatch):
    """The embedded default (SQLite) offers near spellings too, from the titles' words."""
    monkeypatch.setattr(selectors, "_is_pg", lambda: False)
    result = selectors.search(selectors.public_articles(), "pasword")
    assert result.articles == []
    assert [a.title for a in result.suggestions] == ["Reset your password"]
    assert selectors.search(selectors.public_articles(), "zzqx").suggestions == []


def test_empty_and_huge_queries(fixture_articles, client):
    assert selectors.search(selectors.public_articles(), "   ").notice
    response = client.get("/help/search/", {"q": ""})
    assert response.status_code == 400 and "Type a few words" in response.content.decode()
    huge = "calendar " * 600  # 5,400 characters
    response = client.get("/help/search/", {"q": huge})
    assert response.status_code == 200
    body = response.content.decode()
    assert "only its first 200 characters" in body and "Calendar sync" in body


def test_suggestions_for_a_ticket(fixture_articles, ticket):
    found = selectors.suggested_for_ticket(ticket)
    assert found and found[0].title.startswith("Calendar")
    assert "Calendar sync draft" not in [a.title for a in found]

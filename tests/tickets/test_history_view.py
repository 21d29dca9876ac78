"""The workspace's history shows the newest events (a busy ticket gathers hundreds); "Show all" loads the
rest, as a list in place (HTMX) or a page of its own; only staff who may see the ticket get it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import requester_user
from tickets import selectors
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


def _events(ticket, n):
    TicketEvent.objects.bulk_create(
        [TicketEvent(ticket=ticket, verb="tag_added", data={"tag": f"t{i}"}) for i in range(n)]
    )


def test_the_workspace_shows_the_newest_events_and_offers_the_rest(login, agent, ticket):
    _events(ticket, 60)
    total = ticket.events.count()
    html = login(agent).get(f"/tickets/{ticket.number}/").content.decode()
    history = html.split('id="ws-history"')[1].split("</details>")[0]
    assert f"History ({total})" in history
    assert history.count("<li>") == selectors.HISTORY_SHOWN
    assert ": t59\n" in history and ": t0\n" not in history  # the newest, not the oldest
    assert f"The newest {selectors.HISTORY_SHOWN} of {total} events." in history
    assert f'hx-get="/tickets/{ticket.number}/history/"' in history


def test_a_short_history_shows_whole_without_a_link(login, agent, ticket):
    _events(ticket, 3)
    html = login(agent).get(f"/tickets/{ticket.number}/").content.decode()
    history = html.split('id="ws-history"')[1].split("</details>")[0]
    assert history.count("<li>") == ticket.events.count() and "history-more" not in history


def test_show_all_lists_every_event_in_place_or_on_a_page(login, agent, ticket):
    _events(ticket, 60)
    c = login(agent)
    part = c.get(f"/tickets/{ticket.number}/history/", headers={"HX-Request": "true"}).content.decode()
    assert part.startswith('<div id="ws-history-body">') and part.count("<li>") == ticket.events.count()
    page = c.get(f"/tickets/{ticket.number}/history/").content.decode()
    assert "<html" in page and page.count("<li>") >= ticket.events.count() and ": t0\n" in page


def test_the_workspace_reads_no_more_events_however_many_there_are(login, agent, ticket):
    c = login(agent)
    _events(ticket, 5)
    with CaptureQueriesContext(connection) as few:
        c.get(f"/tickets/{ticket.number}/")
    _events(ticket, 200)
    TicketEvent.objects.filter(ticket=ticket).update(at=ticket.created_at)  # retire nothing else
    from tickets import fragments

    fragments.events_written([ticket.pk])
    with CaptureQueriesContext(connection) as many:
        c.get(f"/tickets/{ticket.number}/")
    assert len(many.captured_queries) <= len(few.captured_queries) + 1  # + the count of all events


def test_a_requester_gets_no_history(client, ticket):
    """The history holds internal events (notes, escalations): staff only, even the ticket's requester."""
    client.force_login(requester_user(ticket.requester))
    response = client.get(f"/tickets/{ticket.number}/history/")
    assert response.status_code in (302, 403, 404) and b"tag_added" not in response.content

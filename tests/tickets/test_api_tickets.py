"""Ticket API: scoping, filters, cursor pagination, actions, errors, internal notes hidden."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ContactFactory, TeamFactory, TicketFactory, UserFactory, requester_user
from tickets import services
from tickets.models import Message, Status, Ticket, Tier


@pytest.fixture
def ticket(ticket):
    """Past triage: a public reply waits for the triage decision (issue #15 item 14)."""
    from tickets import services as _services
    from tickets.models import Tier as _Tier

    return _services.update_ticket(ticket, None, tier=_Tier.T1)


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_refused(api, db):
    assert api.get("/api/tickets/").status_code in (401, 403)


def test_requester_sees_only_own_org_and_no_internal_notes(api, contact, ticket, agent):
    other = services.open_ticket(ContactFactory(), "Other org", "secret of another org")
    services.add_note(ticket, agent, "internal only")
    services.add_reply(ticket, agent, "public answer")
    api.force_authenticate(requester_user(contact))
    listed = [t["number"] for t in api.get("/api/tickets/").json()["results"]]
    assert listed == [ticket.number]
    assert api.get(f"/api/tickets/{other.number}/").status_code == 404
    body = api.get(f"/api/tickets/{ticket.number}/").json()
    texts = [m["body"] for m in body["messages"]]
    assert "public answer" in texts and "internal only" not in texts
    assert all(m["visibility"] == "public" for m in body["messages"])
    assert api.post(f"/api/tickets/{ticket.number}/note/", {"body": "x"}).status_code == 403
    assert api.post(f"/api/tickets/{ticket.number}/status/", {"status": "closed"}).status_code == 403
    r = api.post(f"/api/tickets/{ticket.number}/reply/", {"body": "thanks"})
    assert r.status_code == 201 and Message.objects.filter(body="thanks", author_contact=contact).exists()


def test_staff_sees_internal_notes(api, agent, ticket):
    services.add_note(ticket, agent, "internal only")
    api.force_authenticate(agent)
    body = api.get(f"/api/tickets/{ticket.number}/").json()
    assert "internal only" in [m["body"] for m in body["messages"]]


def test_filters_and_cursor_pagination(api, agent):
    team = TeamFactory(slug="engagement")
    for i in range(7):
        TicketFactory(
            tier=Tier.T1 if i % 2 else Tier.T2,
            assignee=agent if i < 3 else None,
            team=team if i == 6 else None,
        )
    api.force_authenticate(agent)
    assert len(api.get("/api/tickets/?tier=t1").json()["results"]) == 3
    assert len(api.get("/api/tickets/?assignee=me").json()["results"]) == 3
    assert len(api.get(f"/api/tickets/?assignee={agent.username}").json()["results"]) == 3
    assert len(api.get("/api/tickets/?assignee=none").json()["results"]) == 4
    assert len(api.get("/api/tickets/?team=engagement").json()["results"]) == 1
    assert api.get("/api/tickets/?status=bogus").status_code == 400
    seen, url = [], "/api/tickets/?page_size=3"
    while url:
        page = api.get(url).json()
        seen += [t["number"] for t in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 7


def test_reply_note_status_actions_and_errors(api, agent, ticket):
    api.force_authenticate(agent)

    def v() -> int:
        return Ticket.objects.get(pk=ticket.pk).version

    r = api.post(f"/api/tickets/{ticket.number}/reply/", {"body": "  ", "version": v()})
    assert r.status_code == 400 and "body" in r.json()
    r = api.post(f"/api/tickets/{ticket.number}/reply/", {"body": "hi", "status": "pending", "version": v()})
    assert r.status_code == 201 and r.json()["visibility"] == "public"
    r = api.post(f"/api/tickets/{ticket.number}/note/", {"body": "note"}, HTTP_IF_MATCH=f'"{v()}"')
    assert r.status_code == 201 and r.json()["visibility"] == "internal"
    r = api.post(f"/api/tickets/{ticket.number}/status/", {"status": "hold", "version": v()})
    assert r.status_code == 400 and "hold_days" in r.json()
    r = api.post(f"/api/tickets/{ticket.number}/status/", {"status": "closed", "version": v()})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = api.post(f"/api/tickets/{ticket.number}/status/", {"status": "pending", "version": v()})
    assert r.status_code == 400 and "cannot be moved" in r.json()["status"][0]
    r = api.post(f"/api/tickets/{ticket.number}/reply/", {"body": "late", "version": 1})
    assert r.status_code == 409 and r.json()["code"] == "StaleTicket"
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_api_list_query_count_constant(api, agent, django_assert_max_num_queries):
    api.force_authenticate(agent)
    TicketFactory(assignee=agent)
    with django_assert_max_num_queries(10) as few:
        api.get("/api/tickets/")
    for i in range(40):
        t = TicketFactory(assignee=UserFactory(username=f"u{i % 5}", role="Agent"))
        services.add_tag(t, agent, f"x{i % 3}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = api.get("/api/tickets/")
    assert len(r.json()["results"]) == 41


def test_api_list_rows_match_the_serializer_in_one_query(api, agent, django_assert_num_queries):
    """Issue #20 §2: the list is built from plain values, in the serializer's exact shape."""
    from django.db import connection

    from tickets.api import TicketSerializer
    from tickets.selectors import ticket_list

    team = TeamFactory()
    tickets = [
        TicketFactory(assignee=agent if i % 2 else None, team=team if i % 3 else None) for i in range(6)
    ]
    for i, t in enumerate(tickets):
        for name in ["zeta", "alpha"][: i % 3]:
            services.add_tag(t, agent, name)
    services.add_reply(tickets[0], agent, "Hello", status=Status.PENDING)  # SLA/commitment times set or not
    api.force_authenticate(agent)
    api.get("/api/tickets/")  # role and session cached
    page_queries = 1 if connection.vendor == "postgresql" else 2  # tags in the row query on PostgreSQL
    with django_assert_num_queries(page_queries, exact=False) as ctx:
        results = api.get("/api/tickets/?page_size=50").json()["results"]
    assert sum("tickets_ticket" in q["sql"] for q in ctx.captured_queries) <= page_queries
    expected = [TicketSerializer(t).data for t in ticket_list().order_by("-id")]
    assert results == [dict(e) for e in expected]


def test_the_api_refuses_a_public_reply_before_triage(api, agent, contact):
    """Issue #15 item 14: the same rule as the workspace — triage first."""
    from tickets import services

    waiting = services.open_ticket(contact, "New one", "Help")
    api.force_authenticate(agent)
    url = f"/api/tickets/{waiting.number}/reply/"
    r = api.post(url, {"body": "Fixed.", "version": waiting.version}, format="json")
    assert r.status_code == 400 and "still waiting for triage" in str(r.json())
    note = api.post(
        f"/api/tickets/{waiting.number}/note/", {"body": "n", "version": waiting.version}, format="json"
    )
    assert note.status_code == 201

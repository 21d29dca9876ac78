from __future__ import annotations

import pytest

from tickets.models import Kind, Ticket, Tier
from triage import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def test_agents_cannot_use_the_triage_api(api, agent, open_ticket):
    ticket = open_ticket()
    c = api(agent)
    assert c.get("/api/triage/").status_code == 403
    assert c.post(f"/api/triage/{ticket.number}/approve/", {"tier": "t1"}).status_code == 403


def test_queue_list_is_paginated_and_constant(api, triage_lead, open_ticket, django_assert_max_num_queries):
    for i in range(5):
        open_ticket(f"T{i}", kind=Kind.CHANGE_REQUEST)
    c = api(triage_lead)
    with django_assert_max_num_queries(6):
        data = c.get("/api/triage/").json()
    assert [r["subject"] for r in data["results"]] == [f"T{i}" for i in range(5)]
    assert (
        data["results"][0]["needs_authorisation"] is True and data["results"][0]["approval_blocked"] is True
    )


def test_api_decisions(api, triage_lead, open_ticket, org):
    c = api(triage_lead)
    a, b, d, e = (open_ticket(s) for s in "abde")
    r = c.post(f"/api/triage/{a.number}/approve/", {"tier": "t2"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["tier"] == "t2" and r.json()["triage_decision"] == "approved"
    r = c.post(
        f"/api/triage/{b.number}/project/", {"message": "Project work"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    r = c.post(
        f"/api/triage/{d.number}/chargeable/",
        {"explanation": "Out of scope", "estimate": "4"},
        content_type="application/json",
    )
    assert r.status_code == 200 and Ticket.objects.get(pk=d.pk).chargeable
    from tickets.models import Team

    r = c.post(
        f"/api/triage/{e.number}/reroute/",
        {"team": Team.objects.get(slug="product").pk, "reason": "feature"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["triage_decision"] == "rerouted"


def test_api_bad_input_gives_field_details(api, triage_lead, open_ticket):
    c = api(triage_lead)
    t = open_ticket()
    r = c.post(f"/api/triage/{t.number}/approve/", {"tier": "nope"}, content_type="application/json")
    assert r.status_code == 400 and r.json() == {"tier": ["Unknown tier nope."]}
    r = c.post(
        f"/api/triage/{t.number}/chargeable/",
        {"explanation": "x", "estimate": "abc"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "estimate" in r.json()
    cr = open_ticket(kind=Kind.CHANGE_REQUEST)
    r = c.post(f"/api/triage/{cr.number}/approve/", {"tier": "t1"}, content_type="application/json")
    assert r.status_code == 400 and "not an authorised contact" in r.json()["authorisation"][0]
    assert not Ticket.objects.exclude(triage_decision="").exists()


def test_api_already_triaged_is_a_conflict(api, triage_lead, manager, open_ticket):
    t = open_ticket()
    services.triage_approve(ticket=t, actor=manager, tier=Tier.T1)
    r = api(triage_lead).post(
        f"/api/triage/{t.number}/approve/", {"tier": "t3"}, content_type="application/json"
    )
    assert r.status_code == 409 and r.json()["detail"].startswith("Already triaged by")
    assert api(triage_lead).post("/api/triage/999999/approve/", {"tier": "t3"}).status_code == 404

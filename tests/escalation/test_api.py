"""API: known issues list/detail/link and the escalate action."""

from __future__ import annotations

from escalation.services import known_issues
from tickets import services as core
from tickets.models import Tier


def test_known_issue_list_and_detail(login, agent, manager, make_ticket, django_assert_max_num_queries):
    c = login(agent)
    for n in range(4):
        ki = known_issues.create_known_issue(manager, title=f"Issue {n}", short_name=f"i{n}")
        known_issues.link_ticket(make_ticket(), ki, agent)
    with django_assert_max_num_queries(10):
        data = c.get("/api/known-issues/").json()
    assert [r["number"] for r in data["results"]] == [4, 3, 2, 1]
    assert data["results"][0]["affected"] == 1 and data["results"][0]["tag"] == "4-i3"
    assert c.get("/api/known-issues/2/").json()["title"] == "Issue 1"


def test_api_requires_staff(client, db):
    assert client.get("/api/known-issues/").status_code in (401, 403)


def test_link_via_api(login, agent, ticket, known_issue):
    c = login(agent)
    r = c.post(
        f"/api/known-issues/{known_issue.number}/link/",
        {"ticket": ticket.number},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["tag"] == known_issue.tag_name
    r = c.post(
        f"/api/known-issues/{known_issue.number}/link/", {"ticket": 99999}, content_type="application/json"
    )
    assert r.status_code == 400 and "ticket" in r.json()


def _v(ticket) -> int:
    return type(ticket).objects.get(pk=ticket.pk).version


def test_escalate_via_api(login, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    c = login(agent)
    bad = c.post(
        "/api/escalations/",
        {"ticket": ticket.number, "to_tier": "t2", "questions": [""], "version": _v(ticket)},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "questions" in bad.json()
    ok = c.post(
        "/api/escalations/",
        {"ticket": ticket.number, "to_tier": "t2", "questions": ["A?", "B?"], "version": _v(ticket)},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["tier"] == "t2" and ok.json()["questions"] == ["A?", "B?"]
    past = c.post(
        "/api/escalations/",
        {"ticket": ticket.number, "to_tier": "t1", "questions": ["x"], "version": _v(ticket)},
        content_type="application/json",
    )
    assert past.status_code == 400 and "to_tier" in past.json()

"""Screens: permissions, the public status page, constant queries, form round-trips."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation.models import KnownIssue, OnCallShift, TierAssignment
from escalation.services import escalate, known_issues
from tests.factories import UserFactory, requester_user
from tickets import services as core
from tickets.models import MessageKind, Tier


def test_urls():
    assert reverse("escalation:known_issues") == "/known-issues/"
    assert reverse("escalation:rota") == "/oncall/"
    assert reverse("escalation:status_page") == "/status/"


@pytest.mark.parametrize("name", ["escalation:known_issues", "escalation:rota"])
def test_staff_only(client, login, contact, name):
    assert client.get(reverse(name)).status_code == 302  # to login
    assert login(requester_user(contact)).get(reverse(name)).status_code == 403


def test_manager_only_screens(login, agent, known_issue):
    c = login(agent)
    assert c.get(reverse("escalation:review")).status_code == 403
    assert (
        c.post(
            reverse("escalation:known_issue_post", args=[known_issue.number]),
            {"post": "known_issue", "text": "x"},
        ).status_code
        == 403
    )
    assert c.post(reverse("escalation:rota_add"), {}).status_code == 403


def test_an_engineer_resolving_a_posted_issue_is_asked_for_the_status_text(login, agent, known_issue):
    """Issue #15 item 13: the public page must not say "Resolved" above "We are working on a fix."."""
    known_issue.status_post, known_issue.status_post_text = "known_issue", "We are working on a fix."
    known_issue.save()
    c = login(agent)
    url = reverse("escalation:known_issue_resolve", args=[known_issue.number])
    page = c.get(known_issue.get_absolute_url()).content.decode()
    assert 'name="post_text"' in page.split('id="resolve"')[1]
    r = c.post(url, {"send_reply": "", "reply": "", "set_status": "", "post_text": " "})
    assert r.status_code == 400 and "Write what the public reads now that it is fixed" in r.content.decode()
    known_issue.refresh_from_db()
    assert known_issue.resolved_at is None
    r = c.post(url, {"send_reply": "", "reply": "", "set_status": "", "post_text": "Sync works again."})
    assert r.status_code == 302
    known_issue.refresh_from_db()
    assert known_issue.resolved_at is not None and known_issue.status_post_text == "Sync works again."
    html = c.get("/status/").content.decode()
    assert "Sync works again." in html and "We are working on a fix." not in html


def test_status_page_is_public_and_shows_nothing_internal(client, manager, known_issue):
    known_issue.description = "INTERNAL: db shard 7 is corrupted"
    known_issue.save()
    known_issues.set_status_post(
        known_issue,
        manager,
        post=KnownIssue.Post.INVESTIGATING,
        text="Calendar sync is delayed for some accounts.",
    )
    hidden = known_issues.create_known_issue(manager, title="Secret unposted problem", short_name="secret")
    response = client.get("/status/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Calendar sync is delayed for some accounts." in html and "Investigating" in html
    for internal in (
        "INTERNAL",
        "shard",
        known_issue.title,
        known_issue.tag_name,
        known_issue.external_url,
        hidden.title,
    ):
        assert internal not in html


def test_status_page_all_good(client, db):
    assert "All systems are working normally" in client.get("/status/").content.decode()


def test_tracker_constant_queries(login, agent, manager, make_ticket, django_assert_max_num_queries):
    c = login(agent)
    for n in range(2):
        ki = known_issues.create_known_issue(manager, title=f"Issue {n}", short_name=f"issue {n}")
        known_issues.link_ticket(make_ticket(), ki, agent)
    with django_assert_max_num_queries(20) as few:
        assert c.get("/known-issues/").status_code == 200
    for n in range(2, 8):
        ki = known_issues.create_known_issue(manager, title=f"Issue {n}", short_name=f"issue {n}")
        for _ in range(3):
            known_issues.link_ticket(make_ticket(), ki, agent)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = c.get("/known-issues/")
    assert "Issue 7" in response.content.decode()


def test_rota_constant_queries(login, manager, make_ticket, django_assert_max_num_queries):
    c = login(manager)
    today = timezone.localdate()
    now = timezone.now()

    def add(n):
        user = UserFactory(username=f"rota{n}", role="Agent")
        TierAssignment.objects.create(
            user=user, tier=Tier.T2, starts_on=today, ends_on=today, substitute_for=manager
        )
        OnCallShift.objects.create(
            user=user, starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1), order=n
        )
        core.update_ticket(make_ticket(), None, tier=Tier.ONCALL)

    add(1)
    with django_assert_max_num_queries(30) as few:
        assert c.get("/oncall/").status_code == 200
    for n in range(2, 7):
        add(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = c.get("/oncall/").content.decode()
    assert "rota6" in html


def test_escalate_form_round_trip(login, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    ticket.refresh_from_db()
    c = login(agent)
    url = reverse("escalation:escalate_up", args=[ticket.number])
    bad = c.post(url, {"to_tier": "t2", "version": ticket.version})
    assert bad.status_code == 400 and "Write at least one escalated question" in bad.content.decode()
    ok = c.post(
        url,
        {
            "to_tier": "t3",
            "question_1": "Why?",
            "question_2": "How?",
            "version": ticket.version,
            "next": ticket.get_absolute_url(),
        },
    )
    assert ok.status_code == 302 and ok["Location"] == ticket.get_absolute_url()
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T3
    assert "ESCALATED QUESTION 2" in ticket.messages.get(kind=MessageKind.ESCALATION).body


def test_offsite_next_is_ignored(login, agent, ticket):
    response = login(agent).post(
        reverse("escalation:link", args=[ticket.number]),
        {"known_issue": 999, "next": "https://evil.example/"},
    )
    assert response.status_code == 400 and "Known issue #999 does not exist" in response.content.decode()


def test_ticket_page_and_ack(login, agent, ticket):
    c = login(agent)
    core.update_ticket(ticket, None, tier=Tier.T1)
    html = c.get(reverse("escalation:ticket", args=[ticket.number])).content.decode()
    assert "ESCALATED QUESTION 1" in html and "data-timebox" in html
    escalate.escalate_up(
        ticket,
        agent,
        to_tier=Tier.ONCALL,
        questions=["down?"],
        confirmed_by=UserFactory(username="lead", role="Triage lead"),
    )
    assert (
        "seen it and I'm handling it"
        in c.get(reverse("escalation:ticket", args=[ticket.number])).content.decode()
    )
    assert c.post(reverse("escalation:ack", args=[ticket.number])).status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == agent


def test_manager_posts_and_resolves(login, manager, agent, known_issue, make_ticket):
    known_issues.link_ticket(make_ticket(), known_issue, agent)
    c = login(manager)
    empty = c.post(
        reverse("escalation:known_issue_post", args=[known_issue.number]), {"post": "known_issue", "text": ""}
    )
    assert empty.status_code == 400 and "needs a public text" in empty.content.decode()
    c.post(
        reverse("escalation:known_issue_post", args=[known_issue.number]),
        {"post": "known_issue", "text": "Hi"},
    )
    r = c.post(
        reverse("escalation:known_issue_resolve", args=[known_issue.number]),
        {"send_reply": "on", "reply": "Fixed!", "set_status": "", "post_text": "Fixed."},
    )
    assert r.status_code == 302
    known_issue.refresh_from_db()
    assert known_issue.status == KnownIssue.Status.RESOLVED and known_issue.broadcast.deliveries.count() == 1


def test_known_issue_404(login, agent):
    assert login(agent).get("/known-issues/404/").status_code == 404


def test_resolving_says_which_linked_tickets_wait_for_triage(login, manager, agent, known_issue, make_ticket):
    """Issue #15 item 14: the bulk reply skips tickets still in triage, and the resolver is told."""
    decided = core.update_ticket(make_ticket(), None, tier="t1")
    known_issues.link_ticket(decided, known_issue, agent)
    known_issues.link_ticket(make_ticket(), known_issue, agent)  # still in triage
    r = login(manager).post(
        reverse("escalation:known_issue_resolve", args=[known_issue.number]),
        {"send_reply": "on", "reply": "Fixed!", "set_status": ""},
        follow=True,
    )
    assert "replying to 1 tickets. 1 still waiting for triage are skipped" in r.content.decode()


def test_escalation_note_shows_bold_headers_not_asterisks(login, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    ticket.refresh_from_db()
    c = login(agent)
    url = reverse("escalation:escalate_up", args=[ticket.number])
    c.post(url, {"to_tier": "t2", "question_1": "Why?", "version": ticket.version, "next": "/"})
    page = c.get(ticket.get_absolute_url()).content.decode()
    assert "<strong>ESCALATED QUESTION 1</strong>" in page and "**ESCALATED QUESTION 1**" not in page

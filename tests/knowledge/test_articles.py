"""Articles: editor permissions (managers and the owner edit, agents propose), versions, self-links,
proposals (button, tags, turned into an article), citations and "Missed Doc Review"."""

from __future__ import annotations

import pytest

from escalation.services import escalate as escalation
from knowledge import services
from knowledge.models import Article, Citation, MissedDoc, Proposal
from tests.factories import UserFactory
from tickets import services as tickets
from tickets.errors import InvalidInput

pytestmark = pytest.mark.django_db


def form(**extra):
    return {"title": "Reconnect your calendar", "body": "Open **Settings**.", "audience": "public",
            "status": "published", "summary": "", **extra}  # fmt: skip


def test_manager_creates_and_each_save_is_a_version(login, manager):
    client = login(manager)
    response = client.post("/kb/new/", form())
    article = Article.objects.get()
    assert (
        response.status_code == 302 and article.owner == manager and article.slug == "reconnect-your-calendar"
    )
    client.post(f"/kb/{article.pk}/", form(body="Open **Settings**, then Integrations.", version=1))
    article.refresh_from_db()
    assert article.version == 2
    assert list(article.versions.values_list("number", flat=True)) == [2, 1]
    page = client.get(f"/kb/{article.pk}/history/").content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert "<strong>Settings</strong>" in client.get(article.get_absolute_url()).content.decode()


def test_stale_edit_keeps_the_text(login, manager):
    client = login(manager)
    client.post("/kb/new/", form())
    article = Article.objects.get()
    client.post(f"/kb/{article.pk}/", form(body="First edit", version=1))
    response = client.post(f"/kb/{article.pk}/", form(body="My late edit", version=1))
    assert response.status_code == 400 and "My late edit" in response.content.decode()
    assert Article.objects.get().body == "First edit"


def test_agents_propose_owners_edit(login, agent, manager):
    article = services.save_article(manager, form())
    client = login(agent)
    assert client.get("/kb/new/").status_code == 403
    assert client.post(f"/kb/{article.pk}/", form(body="Agent edit", version=1)).status_code == 403
    Article.objects.filter(pk=article.pk).update(owner=agent)
    assert client.post(f"/kb/{article.pk}/", form(body="Owner edit", version=1)).status_code == 302
    assert Article.objects.get().body == "Owner edit"


def test_bad_input_re_renders_with_text(login, manager):
    client = login(manager)
    response = client.post("/kb/new/", form(title="", body="Typed body"))
    assert response.status_code == 400 and "Typed body" in response.content.decode()
    article = services.save_article(manager, form())
    response = client.post(f"/kb/{article.pk}/", form(body=f"See /help/articles/{article.slug}/", version=1))
    assert response.status_code == 400 and "cannot link to itself" in response.content.decode()
    assert Article.objects.get().version == 1


def test_self_link_refused_in_the_service(manager):
    with pytest.raises(InvalidInput):
        services.save_article(manager, form(body="Loop: /help/articles/reconnect-your-calendar/"))
    assert not Article.objects.exists()


def test_citations_recorded_when_a_reply_is_sent(manager, agent, ticket):
    article = services.save_article(manager, form())
    msg = tickets.add_reply(
        ticket, agent, f"Steps: http://127.0.0.1:8000{article.get_absolute_url()} and more"
    )
    note = tickets.add_note(ticket, agent, f"internal {article.get_absolute_url()}")
    assert list(Citation.objects.values_list("message_id", "article_id")) == [(msg.pk, article.pk)]
    assert note.pk != msg.pk


def test_propose_doc_button_once_per_answer(login, agent, ticket):
    msg = tickets.add_reply(ticket, agent, "The answer worth keeping.")
    client = login(agent)
    for _ in range(2):
        response = client.post(
            f"/tickets/{ticket.number}/propose-doc/", {"kind": "user_doc", "message": msg.pk}
        )
        assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.source_message, proposal.ticket) == ("user_doc", msg, ticket)


def test_proposed_doc_tags_make_proposals(agent, ticket):
    msg = tickets.add_reply(ticket, agent, "Answer.")
    tickets.set_tags(ticket, agent, ["Proposed Internal Doc"])
    tickets.set_tags(ticket, agent, [])
    tickets.set_tags(ticket, agent, ["Proposed Internal Doc", "Proposed User Doc"])
    assert sorted(Proposal.objects.values_list("kind", "source_message")) == [
        ("internal_doc", msg.pk),
        ("user_doc", msg.pk),
    ]


def test_proposal_becomes_an_article_and_keeps_the_link(login, manager, agent, ticket):
    msg = tickets.add_reply(ticket, agent, "Open Settings and press Reconnect.")
    proposal, _ = services.propose(agent, "user_doc", message=msg)
    client = login(manager)
    page = client.get(f"/kb/new/?proposal={proposal.pk}").content.decode()
    assert "Open Settings and press Reconnect." in page
    client.post("/kb/new/", form(proposal=proposal.pk))
    proposal.refresh_from_db()
    assert proposal.state == "done" and proposal.article == Article.objects.get()
    listing = client.get("/kb/proposals/?state=done").content.decode()
    assert f"#{ticket.number}" in listing and "Reconnect your calendar" in listing


def test_missed_doc_review_points_at_the_article(login, manager, ticket):
    article = services.save_article(manager, form())
    eng = UserFactory(username="t2eng", role="Agent")
    tickets.update_ticket(ticket, manager, tier="t2")
    escalation.escalate_down(
        ticket, eng, to_tier="t1", note="It is in the doc.", missed_doc_review=True,
        doc_url=f"http://127.0.0.1:8000{article.get_absolute_url()}",
    )  # fmt: skip
    assert MissedDoc.objects.filter(ticket=ticket, article=article).exists()
    page = login(manager).get(article.get_absolute_url()).content.decode()
    assert "Missed Doc Review" in page and f"#{ticket.number}" in page


def test_votes_and_deflections_once(client, manager, contact):
    from knowledge.models import Deflection, Vote
    from tests.factories import requester_user

    article = services.save_article(manager, form())
    for helpful in ("yes", "no"):
        client.post(f"/help/articles/{article.slug}/vote/", {"helpful": helpful})
    assert list(Vote.objects.values_list("helpful", flat=True)) == [False]
    assert client.post(f"/help/articles/{article.slug}/vote/", {"helpful": "maybe"}).status_code == 400
    client.force_login(requester_user(contact))
    for _ in range(2):
        assert (
            client.post(f"/help/articles/{article.slug}/answered/", {"query": "calendar"}).status_code == 200
        )
    assert Deflection.objects.count() == 1

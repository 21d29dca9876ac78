"""Issue #15 item 8: a reply body has a maximum (HELPDESK_REPLY_MAX_CHARS, default 100,000) enforced on the
web, the portal, the API and drafts, with a clear error and the text kept — nothing is cut silently."""

from __future__ import annotations

import pytest

from tests.factories import requester_user
from tickets import services
from tickets.errors import InvalidInput
from tickets.models import Message, ReplyDraft
from tickets.services.agent import save_draft

TOO_LONG = "x" * 100_001


def test_the_default_limit_is_100000(settings):
    assert settings.HELPDESK_REPLY_MAX_CHARS == 100_000


def test_the_service_refuses_a_long_reply(ticket, agent):
    with pytest.raises(InvalidInput, match="100,001 characters long; the most is 100,000"):
        services.add_reply(ticket, agent, TOO_LONG)
    services.add_reply(ticket, agent, "x" * 100_000)  # exactly the limit is fine


def test_the_workspace_keeps_the_text_and_says_why(client, ticket, agent):
    client.force_login(agent)
    before = Message.objects.count()
    response = client.post(f"/tickets/{ticket.number}/reply/", {"body": TOO_LONG, "version": ticket.version})
    assert response.status_code == 400
    assert b"the most is 100,000" in response.content and TOO_LONG.encode() in response.content
    assert Message.objects.count() == before


def test_the_portal_reply_and_new_request_say_why(client, ticket):
    client.force_login(requester_user(ticket.requester))
    before = Message.objects.count()
    reply = client.post(f"/tickets/{ticket.number}/reply/", {"body": TOO_LONG})
    assert reply.status_code == 400 and b"the most is 100,000" in reply.content
    new = client.post("/requests/new/", {"subject": "Long", "body": TOO_LONG, "kind": "question"})
    assert new.status_code == 400 and b"the most is 100,000" in new.content
    assert Message.objects.count() == before


@pytest.mark.parametrize("who", ["agent", "requester"])
def test_the_api_answers_400(client, ticket, agent, who):
    client.force_login(agent if who == "agent" else requester_user(ticket.requester))
    response = client.post(
        f"/api/tickets/{ticket.number}/reply/",
        {"body": TOO_LONG, "version": ticket.version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "the most is 100,000" in response.json()["body"][0]


def test_a_long_draft_is_not_saved_cut(client, ticket, agent):
    client.force_login(agent)
    response = client.post(f"/tickets/{ticket.number}/draft/", {"body": "y" * 120_000})
    assert b"Draft not saved" in response.content and b"120,000 characters" in response.content
    assert b"Draft saved" not in response.content
    assert not ReplyDraft.objects.exists()
    save_draft(agent, ticket, "z" * 100_000, False)
    assert len(ReplyDraft.objects.get().body) == 100_000  # kept whole, not cut at 50,000

"""Issue #15 item 9: API writes carry the version (body or If-Match): none → 428, stale → 409; the GET
gives an ETag; an invalid token answers 401."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import requester_user
from tickets.models import Ticket, Tier


@pytest.fixture
def ticket(ticket):
    """Past triage: a public reply waits for the triage decision (issue #15 item 14)."""
    from tickets import services as _services
    from tickets.models import Tier as _Tier

    return _services.update_ticket(ticket, None, tier=_Tier.T1)


@pytest.mark.parametrize(
    "action, payload",
    [("reply", {"body": "hi"}), ("note", {"body": "note"}), ("status", {"status": "pending"})],
)
def test_a_write_without_version_is_428_and_stale_is_409(client, agent, ticket, action, payload):
    client.force_login(agent)
    url = f"/api/tickets/{ticket.number}/{action}/"
    missing = client.post(url, payload, content_type="application/json")
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    stale = client.post(url, {**payload, "version": ticket.version - 1}, content_type="application/json")
    assert stale.status_code == 409
    etag = client.get(f"/api/tickets/{ticket.number}/").headers["ETag"]
    assert etag == f'"{Ticket.objects.get(pk=ticket.pk).version}"'
    ok = client.post(url, payload, content_type="application/json", HTTP_IF_MATCH=etag)
    assert ok.status_code in (200, 201)
    assert client.post(url, payload, content_type="application/json", HTTP_IF_MATCH=etag).status_code == 409
    assert client.post(url, payload, content_type="application/json", HTTP_IF_MATCH="abc").status_code == 400


def test_escalation_needs_the_version_too(client, agent, ticket):
    from tickets import services

    services.update_ticket(ticket, None, tier=Tier.T1)
    client.force_login(agent)
    body = {"ticket": ticket.number, "to_tier": "t2", "questions": ["Why?"]}
    assert client.post("/api/escalations/", body, content_type="application/json").status_code == 428
    stale = client.post("/api/escalations/", {**body, "version": 1}, content_type="application/json")
    assert stale.status_code == 409


def test_a_requester_reply_never_needs_a_version(client, ticket):
    client.force_login(requester_user(ticket.requester))
    response = client.post(
        f"/api/tickets/{ticket.number}/reply/", {"body": "Me again"}, content_type="application/json"
    )
    assert response.status_code == 201


def test_an_invalid_token_answers_401(client, agent):
    assert client.get("/api/tickets/", HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 401
    assert client.get("/api/tickets/").status_code == 401
    token = Token.objects.create(user=agent)
    assert client.get("/api/tickets/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200

"""Issue #15 item 6: bad input answers 400 with a message (it gave 500): tampered API cursors, JSON nested
1,000 deep, NUL bytes in filters, non-ASCII digits that pass ``isdigit()`` but not ``int()``."""

from __future__ import annotations

import base64
import json

import pytest

from tests.factories import requester_user

LISTS = [
    "/api/tickets/",
    "/api/triage/",
    "/api/known-issues/",
    "/api/sla-policies/",
    "/api/sla-calendars/",
]
CURSORS = ["p=abc", "p=1e5", "r=1&p=%00", "p=\x00", "p=²", "p=99999999999999999999999", "o=-1", "o=abc"]


def _cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


@pytest.mark.parametrize("url", LISTS)
def test_tampered_cursors_answer_400(client, manager, url):
    client.force_login(manager)
    assert client.get(url).status_code == 200
    statuses = {raw: client.get(url, {"cursor": _cursor(raw)}).status_code for raw in CURSORS}
    assert statuses == dict.fromkeys(CURSORS, 400)
    response = client.get(url, {"cursor": _cursor("p=abc")})
    assert "Invalid cursor" in response.json()["cursor"][0]


def test_a_real_cursor_still_pages(client, manager, ticket):
    from tickets import services

    for i in range(3):
        services.open_ticket(ticket.requester, f"more {i}", "body")
    client.force_login(manager)
    first = client.get("/api/tickets/", {"page_size": 2}).json()
    second = client.get(first["next"])
    assert second.status_code == 200 and len(second.json()["results"]) == 2


def test_json_nested_1000_deep_answers_400_even_for_a_requester(client, ticket):
    client.force_login(requester_user(ticket.requester))
    deep = "[" * 1000 + "]" * 1000
    response = client.post(f"/api/tickets/{ticket.number}/reply/", deep, content_type="application/json")
    assert response.status_code == 400 and "nested too deeply" in response.json()["detail"]
    deep_object = '{"body": ' + '{"a": ' * 50 + "1" + "}" * 50 + "}"
    response = client.post(
        f"/api/tickets/{ticket.number}/reply/", deep_object, content_type="application/json"
    )
    assert response.status_code == 400


def test_nul_in_api_text_is_dropped_not_a_500(client, ticket):
    client.force_login(requester_user(ticket.requester))
    body = json.dumps({"body": "still\x00 broken"})
    response = client.post(f"/api/tickets/{ticket.number}/reply/", body, content_type="application/json")
    assert response.status_code < 300
    assert ticket.messages.order_by("-id").first().body == "still broken"


@pytest.mark.parametrize("query", ["q=a%00b", "tag=%00", "tag=a%00", "assignee=%00", "q%00=1", "org=%00"])
def test_nul_bytes_in_queue_filters_answer_400(client, agent, query):
    client.force_login(agent)
    response = client.get(f"/queues/all/?{query}")
    assert response.status_code == 400 and b"NUL" in response.content


def test_nul_in_a_submitted_form_is_dropped_and_the_text_kept(client, ticket):
    client.force_login(requester_user(ticket.requester))
    response = client.post(f"/tickets/{ticket.number}/reply/", {"body": "Still\x00 broken"})
    assert response.status_code < 400
    assert ticket.messages.order_by("-id").first().body == "Still broken"


@pytest.mark.parametrize(
    "url",
    [
        "/triage/?after=²",
        "/queues/all/?org=²",
        "/queues/all/?assignee=²",
        "/queues/all/?q=²",
        "/dashboard/?org=²",
    ],
)
def test_non_ascii_digits_are_not_a_500(client, manager, url):
    client.force_login(manager)
    assert client.get(url).status_code in (200, 400)


def test_a_huge_triage_position_is_not_a_500(client, triage_lead):
    client.force_login(triage_lead)
    assert client.get("/triage/?after=99999999999999999999999").status_code in (200, 400)

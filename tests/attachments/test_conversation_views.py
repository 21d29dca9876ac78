"""The conversation on the screens: files shown (thumbnails / links), internal files hidden from
requesters, and a constant number of queries with 50 messages and 30 attachments."""

from __future__ import annotations

import pytest

from attachments.services import store_bytes
from tests.factories import MessageFactory, requester_user
from tickets import fragments
from tickets.models import MessageFormat, Visibility

from .conftest import png_bytes

pytestmark = pytest.mark.django_db


def _fill(ticket, agent, messages: int, files: int) -> None:
    made = [
        MessageFactory(
            ticket=ticket,
            author_contact=None if i % 2 else ticket.requester,
            author_user=agent if i % 2 else None,
            body=f"**message {i}**\n\nsome text",
            format=MessageFormat.MARKDOWN,
        )
        for i in range(messages)
    ]
    image = png_bytes()
    for i in range(files):
        target = made[i % len(made)]
        if i % 3:
            store_bytes(target, filename=f"log-{i}.txt", content=b"line\n" * (i + 1))
        else:
            store_bytes(target, filename=f"shot-{i}.png", content=image)


def test_workspace_queries_stay_constant_with_50_messages_and_30_files(
    login, agent, ticket, django_assert_max_num_queries
):
    client = login(agent)
    _fill(ticket, agent, 2, 2)
    client.get(f"/tickets/{ticket.number}/")
    fragments.changed([ticket.pk])  # every fragment missed: everything rendered afresh
    with django_assert_max_num_queries(40) as small:
        client.get(f"/tickets/{ticket.number}/")
    _fill(ticket, agent, 48, 28)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/tickets/{ticket.number}/")
    html = response.content.decode()
    assert html.count('class="thumb"') == 11  # shot-0, -3, … of both batches
    assert "log-26.txt" in html and "<strong>message 47</strong>" in html


def test_requester_sees_public_files_only(client, ticket):
    public = MessageFactory(ticket=ticket)
    internal = MessageFactory(ticket=ticket, author_contact=None, visibility=Visibility.INTERNAL)
    store_bytes(public, filename="for-you.txt", content=b"yes")
    store_bytes(internal, filename="internal-only.txt", content=b"no")
    client.force_login(requester_user(ticket.requester))
    html = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "for-you.txt" in html and "internal-only.txt" not in html


def test_portal_queries_constant(client, ticket, django_assert_max_num_queries):
    client.force_login(requester_user(ticket.requester))
    client.get(f"/tickets/{ticket.number}/")
    with django_assert_max_num_queries(30) as small:
        client.get(f"/tickets/{ticket.number}/")
    _fill(ticket, None, 20, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/tickets/{ticket.number}/")

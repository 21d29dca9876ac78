"""Who may fetch a file, and how it is served (inline only for real raster images)."""

from __future__ import annotations

import pytest

from attachments.services import store_bytes
from tests.factories import ContactFactory, MessageFactory, TicketFactory, UserFactory, requester_user
from tickets.models import Visibility

from .conftest import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ticket = TicketFactory()
    public = MessageFactory(ticket=ticket)
    internal = MessageFactory(ticket=ticket, author_contact=None, visibility=Visibility.INTERNAL)
    return {
        "ticket": ticket,
        "public": store_bytes(public, filename="shot.png", content=png_bytes()),
        "internal": store_bytes(internal, filename="notes.txt", content=b"internal only"),
        "same_org": requester_user(ContactFactory(organization=ticket.organization)),
        "other_org": requester_user(),
        "agent": UserFactory(role="Agent"),
        "manager": UserFactory(role="Manager"),
    }


@pytest.mark.parametrize(
    ("who", "which", "expected"),
    [
        ("anonymous", "public", 302),
        ("anonymous", "internal", 302),
        ("same_org", "public", 200),
        ("same_org", "internal", 404),
        ("other_org", "public", 404),
        ("other_org", "internal", 404),
        ("agent", "public", 200),
        ("agent", "internal", 200),
        ("manager", "public", 200),
        ("manager", "internal", 200),
    ],
)
@pytest.mark.parametrize("view", ["download", "thumbnail"])
def test_permission_matrix(client, world, who, which, expected, view):
    if who != "anonymous":
        client.force_login(world[who])
    att = world[which]
    url = att.get_absolute_url() if view == "download" else att.thumbnail_url()
    if view == "thumbnail" and which == "internal" and expected == 200:
        expected = 404  # a text file has no preview
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]


def test_requester_without_organization_sees_only_own_tickets(client):
    contact = ContactFactory(organization=None)
    own = store_bytes(MessageFactory(ticket=TicketFactory(requester=contact)), filename="a.txt", content=b"a")
    other = store_bytes(
        MessageFactory(ticket=TicketFactory(requester=ContactFactory(organization=None))),
        filename="b.txt",
        content=b"b",
    )
    client.force_login(requester_user(contact))
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_raster_image_is_inline_with_sandbox(client, world):
    client.force_login(world["agent"])
    response = client.get(world["public"].get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == png_bytes()
    forced = client.get(world["public"].get_absolute_url() + "?download=1")
    assert forced["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.png", b"<html><script>alert(document.cookie)</script></html>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("page.html", b"<h1>hi</h1><script>alert(1)</script>"),
        ("paper.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
    ],
)
def test_everything_else_is_a_download(client, world, name, content):
    att = store_bytes(world["public"].message, filename=name, content=content, declared_type="image/png")
    client.force_login(world["agent"])
    response = client.get(att.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_pending_upload_only_for_its_uploader(client):
    uploader, other = requester_user(), requester_user()
    att = store_bytes(None, filename="a.txt", content=b"a", uploader=uploader)
    client.force_login(other)
    assert client.get(att.get_absolute_url()).status_code == 404
    client.force_login(uploader)
    assert client.get(att.get_absolute_url()).status_code == 200


def test_missing_file_is_404_not_500(client, world, media_root):
    (media_root / world["public"].file.name).unlink()
    client.force_login(world["agent"])
    assert client.get(world["public"].get_absolute_url()).status_code == 404

"""Uploads on the screens (workspace reply/note, portal reply and new request) and in the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attachments.models import Attachment
from tests.factories import requester_user
from tickets.models import MessageFormat, Ticket, Visibility

from .conftest import png_bytes, stored_files


@pytest.fixture
def ticket(ticket):
    """Past triage: a public reply waits for the triage decision (issue #15 item 14)."""
    from tickets import services as _services
    from tickets.models import Tier as _Tier

    return _services.update_ticket(ticket, None, tier=_Tier.T1)


pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _png(name: str = "shot.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), "image/png")


def test_agent_reply_with_files_is_markdown_and_carries_them(login, agent, ticket):
    client = login(agent)
    response = client.post(
        f"/tickets/{ticket.number}/reply/",
        {
            "body": "**See** the screenshot",
            "visibility": "public",
            "version": ticket.version,
            "files": [_png(), SimpleUploadedFile("log.txt", b"trace", "text/plain")],
        },
    )
    assert response.status_code == 302
    message = ticket.messages.latest("id")
    assert message.format == MessageFormat.MARKDOWN
    assert sorted(a.original_name for a in message.attachments.all()) == ["log.txt", "shot.png"]
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "<strong>See</strong>" in page and 'class="thumb"' in page and "log.txt" in page


def test_internal_note_files_never_reach_the_requester(login, client, agent, ticket):
    login(agent).post(
        f"/tickets/{ticket.number}/reply/",
        {
            "body": "internal",
            "visibility": "internal",
            "version": ticket.version,
            "files": [_png("secret.png")],
        },
    )
    att = Attachment.objects.get(original_name="secret.png")
    assert att.message.visibility == Visibility.INTERNAL
    client.force_login(requester_user(ticket.requester))
    assert "secret.png" not in client.get(f"/tickets/{ticket.number}/").content.decode()
    assert client.get(att.get_absolute_url()).status_code == 404
    assert client.get(att.thumbnail_url()).status_code == 404
    api = client.get(f"/api/tickets/{ticket.number}/").json()
    assert all(not m["attachments"] for m in api["messages"])


def test_bad_file_keeps_text_and_good_files_and_sends_nothing(login, agent, ticket, media_root):
    client = login(agent)
    before = ticket.messages.count()
    response = client.post(
        f"/tickets/{ticket.number}/reply/",
        {
            "body": "My long careful answer",
            "visibility": "public",
            "version": ticket.version,
            "files": [_png("good.png"), SimpleUploadedFile("tool.exe", b"MZ" + b"\0" * 50)],
        },
        **HX,
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx: the reply region comes back with the errors
    assert "My long careful answer" in html
    assert "“tool.exe” is a .exe file; programs and scripts cannot be attached." in html
    assert "good.png" in html and 'name="kept_files"' in html
    assert ticket.messages.count() == before
    token = html.split('name="kept_files" value="')[1].split('"')[0]
    response = client.post(
        f"/tickets/{ticket.number}/reply/",
        {
            "body": "My long careful answer",
            "visibility": "public",
            "version": ticket.version,
            "kept_files": token,
        },
    )
    assert response.status_code == 302
    message = ticket.messages.latest("id")
    assert [a.original_name for a in message.attachments.all()] == ["good.png"]
    assert not Attachment.objects.filter(pending=True).exists()


def test_failed_send_for_another_reason_rolls_back_files(login, agent, ticket, media_root):
    client = login(agent)
    response = client.post(
        f"/tickets/{ticket.number}/reply/",
        {"body": "", "visibility": "public", "version": ticket.version, "files": [_png()]},
    )
    assert response.status_code == 400
    # the empty body was refused: the good file is kept once for the next try, nothing on a message
    assert list(Attachment.objects.values_list("pending", "message")) == [(True, None)]


def test_send_failing_after_the_files_were_stored_leaves_no_file(
    login, agent, ticket, media_root, monkeypatch
):
    from attachments import uploads
    from tickets.errors import TicketError

    real_save = uploads.MESSAGE_FILES.save

    def save_then_fail(*args, **kwargs):
        real_save(*args, **kwargs)
        assert len(stored_files(media_root)) == 2  # the file and its thumbnail were written
        raise TicketError("Something later in the send refused it.")

    monkeypatch.setattr(uploads.MESSAGE_FILES, "save", save_then_fail)
    client = login(agent)
    client.post(
        f"/tickets/{ticket.number}/reply/",
        {"body": "text", "visibility": "public", "version": ticket.version, "files": [_png()]},
    )
    assert not ticket.messages.filter(body="text").exists()
    assert not Attachment.objects.filter(message__isnull=False).exists()
    assert [a.pending for a in Attachment.objects.all()] == [True]  # kept once for the next try
    assert len(stored_files(media_root)) == 2  # that kept file and its thumbnail; the rolled-back ones gone


def test_portal_reply_and_new_request_with_files(client, ticket):
    user = requester_user(ticket.requester)
    client.force_login(user)
    response = client.post(f"/tickets/{ticket.number}/reply/", {"body": "mine", "files": [_png()]})
    assert response.status_code == 302
    assert ticket.messages.latest("id").attachments.get().uploader == user
    response = client.post(
        "/requests/new/",
        {"subject": "Broken export", "kind": "question", "body": "see file", "files": [_png()]},
    )
    assert response.status_code == 302
    new = Ticket.objects.latest("id")
    assert new.messages.get().attachments.count() == 1
    bad = client.post(
        "/requests/new/",
        {
            "subject": "Again",
            "kind": "question",
            "body": "typed text",
            "files": [SimpleUploadedFile("e.txt", b"")],
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "typed text" in html and "“e.txt” is empty." in html


def test_api_multipart_reply_and_note(login, agent, ticket):
    client = login(agent)
    response = client.post(
        f"/api/tickets/{ticket.number}/reply/",
        {"body": "api *reply*", "version": ticket.version, "files": [_png()]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["format"] == "markdown"
    [file] = data["attachments"]
    assert file["name"] == "shot.png" and file["content_type"] == "image/png" and file["thumbnail_url"]
    assert client.get(file["url"]).status_code == 200
    response = client.post(
        f"/api/tickets/{ticket.number}/note/",
        {
            "body": "note",
            "format": "plain",
            "version": 99,
            "files": [SimpleUploadedFile("x.sh", b"#!/bin/sh")],
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "files": ["“x.sh” is a .sh file; programs and scripts cannot be attached."],
        "code": "InvalidFiles",
    }
    assert not ticket.messages.filter(body="note").exists()


def test_markdown_preview(login, agent, client):
    response = login(agent).post("/compose/preview/", {"text": "**b** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert response.content.decode() == "<p><strong>b</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    client.logout()
    assert client.post("/compose/preview/", {"text": "x"}).status_code == 403

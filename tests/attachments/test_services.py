"""Storing files: uploads and email parts, hashes, sniffing, thumbnails, no orphans on rollback."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from attachments.models import Attachment
from attachments.services import attach_uploads, store_bytes
from tests.factories import MessageFactory, UserFactory

from .conftest import png_bytes, stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def test_attach_uploads_stores_metadata_under_a_random_name(media_root):
    message, user = MessageFactory(), UserFactory(role="Agent")
    content = png_bytes()
    [att] = attach_uploads(
        message, [SimpleUploadedFile("../../My shot.png", content, "image/png")], uploader=user
    )
    att.refresh_from_db()
    assert att.message == message and att.uploader == user
    assert att.original_name == "My shot.png"
    assert att.size == len(content)
    assert att.sha256 == hashlib.sha256(content).hexdigest()
    assert (att.declared_type, att.sniffed_type) == ("image/png", "image/png")
    assert "shot" not in att.file.name and att.file.name.startswith("attachments/")
    assert att.thumbnail.name.startswith("thumbnails/")
    assert (media_root / att.file.name).read_bytes() == content
    assert list(message.attachments.all()) == [att]


def test_store_bytes_keeps_what_email_sends(media_root):
    message = MessageFactory()
    att = store_bytes(
        message,
        filename="..\\evil\u202egpj.exe",
        content=b"<svg onload=alert(1)>",
        declared_type="image/png",
        content_id="<logo@mail>",
    )
    assert att.original_name == "evilgpj.exe"
    assert att.sniffed_type == "" and att.declared_type == "image/png"
    assert att.content_id == "logo@mail"
    assert att.uploader is None and not att.thumbnail
    assert not att.is_inline_image


def test_broken_image_is_kept_without_thumbnail(media_root):
    content = png_bytes()[:60]  # a PNG header, then nothing
    att = store_bytes(MessageFactory(), filename="cut.png", content=content)
    assert att.sniffed_type == "image/png" and not att.thumbnail
    assert (media_root / att.file.name).read_bytes() == content


def test_rolled_back_transaction_leaves_no_file(media_root):
    message = MessageFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        attach_uploads(message, [SimpleUploadedFile("a.png", png_bytes(), "image/png")])
        store_bytes(message, filename="b.txt", content=b"hello")
        assert len(stored_files(media_root)) == 3  # two files and a thumbnail
        raise RuntimeError("the send failed later")
    assert stored_files(media_root) == []
    assert not Attachment.objects.exists()


def test_failure_inside_the_service_leaves_no_file(media_root, monkeypatch):
    message = MessageFactory()

    def boom(self, *args, **kwargs):
        raise RuntimeError("database said no")

    monkeypatch.setattr(Attachment, "save", boom)
    with pytest.raises(RuntimeError):
        store_bytes(message, filename="b.txt", content=b"hello")
    assert stored_files(media_root) == []


def test_committed_files_stay(media_root, django_capture_on_commit_callbacks):
    message = MessageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        att = store_bytes(message, filename="b.txt", content=b"hello")
    assert stored_files(media_root) == [att.file.name]

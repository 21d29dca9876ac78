"""Form-side flow: check files, keep the good ones across a failed send, claim them, sweep leftovers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from attachments import uploads
from attachments.models import Attachment
from tests.factories import MessageFactory, UserFactory

from .conftest import png_bytes, stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def _request(user, files=(), token=""):
    data = {"body": "hello", "files": list(files)}
    if token:
        data["kept_files"] = token
    request = RequestFactory().post("/", data)
    request.user = user
    return request


def test_failed_send_keeps_the_good_files_for_the_next_try(media_root):
    user = UserFactory(role="Agent")
    good = SimpleUploadedFile("shot.png", png_bytes(), "image/png")
    bad = SimpleUploadedFile("empty.txt", b"", "text/plain")
    first = uploads.from_request(_request(user, [good, bad]))
    assert first.errors == ["“empty.txt” is empty."]
    kept = uploads.keep_valid(first, user)
    assert [a.original_name for a in kept.kept] == ["shot.png"] and kept.token
    assert Attachment.objects.get().pending is True

    second = uploads.from_request(
        _request(user, [SimpleUploadedFile("log.txt", b"x", "text/plain")], kept.token)
    )
    assert second.errors == [] and [a.original_name for a in second.kept] == ["shot.png"]
    message = MessageFactory()
    saved = uploads.save(message, second, uploader=user)
    assert sorted(a.original_name for a in saved) == ["log.txt", "shot.png"]
    assert set(message.attachments.values_list("pending", flat=True)) == {False}


def test_kept_files_count_toward_the_limits(settings):
    settings.HELPDESK_ATTACHMENTS_MAX_FILES = 1
    user = UserFactory(role="Agent")
    kept = uploads.keep_valid(uploads.from_request(_request(user, [SimpleUploadedFile("a.txt", b"a")])), user)
    again = uploads.from_request(_request(user, [SimpleUploadedFile("b.txt", b"b")], kept.token))
    assert again.errors == ["Attach at most 1 files to one message (you chose 2)."]


def test_someone_elses_or_forged_token_claims_nothing():
    owner, other = UserFactory(role="Agent"), UserFactory(role="Agent")
    kept = uploads.keep_valid(
        uploads.from_request(_request(owner, [SimpleUploadedFile("a.txt", b"a")])), owner
    )
    assert uploads.from_request(_request(other, token=kept.token)).kept == []
    assert uploads.from_request(_request(owner, token=kept.token + "x")).kept == []
    assert len(uploads.from_request(_request(owner, token=kept.token)).kept) == 1


def test_sweep_deletes_unclaimed_files_once(media_root, django_capture_on_commit_callbacks):
    user = UserFactory(role="Agent")
    with django_capture_on_commit_callbacks(execute=True):
        kept = uploads.keep_valid(
            uploads.from_request(_request(user, [SimpleUploadedFile("a.txt", b"a")])), user
        )
        claimed = uploads.keep_valid(
            uploads.from_request(_request(user, [SimpleUploadedFile("b.txt", b"b")])), user
        )
        uploads.save(MessageFactory(), claimed, uploader=user)
    assert len(stored_files(media_root)) == 2
    later = timezone.now() + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads.sweep_pending(later) == 1
        assert uploads.sweep_pending(later) == 0
    assert not Attachment.objects.filter(pk=kept.kept[0].pk).exists()
    assert stored_files(media_root) == [claimed.kept[0].file.name]

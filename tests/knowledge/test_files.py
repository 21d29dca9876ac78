"""Article files: uploaded in the editor (the attachments app's checks), shown with the article, served
with the article's visibility (public: anyone; internal: staff only)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from knowledge.models import Article, ArticleFile
from tests.factories import requester_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return SimpleUploadedFile("screen.png", buf.getvalue(), content_type="image/png")


def post(client, audience="public", **files):
    data = {
        "title": f"Screens {audience}",
        "body": "See the picture.",
        "audience": audience,
        "status": "published",
    }
    return client.post("/kb/new/", {**data, **files})


def test_upload_and_download_by_visibility(login, manager, client, contact):
    staff = login(manager)
    assert post(staff, files=png()).status_code == 302
    assert post(staff, audience="internal", files=png()).status_code == 302
    public, internal = (ArticleFile.objects.get(article__audience=a) for a in ("public", "internal"))
    assert public.attachment.original_name == "screen.png" and public.attachment.is_inline_image
    assert staff.get(internal.get_absolute_url()).status_code == 200
    page = staff.get(f"/kb/{public.article_id}/").content.decode()
    assert f"![screen.png]({public.get_absolute_url()})" in page
    client.logout()
    for who in (None, requester_user(contact)):
        if who:
            client.force_login(who)
        response = client.get(public.get_absolute_url())
        assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
        assert client.get(internal.get_absolute_url()).status_code == 404
    assert "screen.png" in client.get(public.article.get_absolute_url()).content.decode()


def test_a_refused_file_keeps_the_text_and_stores_nothing(login, manager):
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"0" * 100, content_type="application/octet-stream")
    response = post(login(manager), files=bad)
    assert response.status_code == 400 and "See the picture." in response.content.decode()
    assert not Article.objects.exists() and not ArticleFile.objects.exists()


def test_remove_a_file(login, manager):
    staff = login(manager)
    post(staff, files=png())
    found = ArticleFile.objects.get()
    assert staff.post(f"/kb/files/{found.pk}/delete/").status_code == 302
    assert not ArticleFile.objects.exists()

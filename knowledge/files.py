"""Article files (issue #18 §1 "with images and attachments"): stored by the attachments app (same
checks, random names, thumbnails), linked to the article, served here with the article's visibility."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from attachments import services as attachments
from helpdesk.permissions import staff_required

from . import selectors
from .models import Article, ArticleFile

SANDBOX_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def problems(uploads: Sequence[UploadedFile], article: Article | None) -> list[str]:
    kept = [f.attachment for f in article.files.select_related("attachment")] if article else []
    return attachments.validate_uploads(uploads, kept=kept)


def add_files(article: Article, uploads: Sequence[UploadedFile], by: Any) -> list[ArticleFile]:
    """Store validated uploads (call ``problems`` first) and link them to ``article``."""
    with transaction.atomic():
        stored = attachments.attach_uploads(None, uploads, uploader=by)
        return [ArticleFile.objects.create(article=article, attachment=a) for a in stored]


def remove_file(found: ArticleFile) -> None:
    with transaction.atomic():
        attachments.delete_attachment(found.attachment)  # the link goes with it (CASCADE)


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    found = ArticleFile.objects.select_related("attachment", "article").filter(pk=pk).first()
    if found is None or selectors.article_for(request.user, found.article.slug) is None:
        raise Http404("No such file.")  # the same answer whether it exists or not
    att = found.attachment
    inline = att.is_inline_image and request.GET.get("download") != "1"
    try:
        handle = default_storage.open(att.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=att.original_name,
        content_type=att.sniffed_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "public, max-age=3600" if found.article.is_public else "private, max-age=3600"
    return response


@staff_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404, redirect

    found = get_object_or_404(ArticleFile.objects.select_related("article", "attachment"), pk=pk)
    if not selectors.can_edit(request.user, found.article):
        raise PermissionDenied("Managers and the article's owner edit articles.")
    remove_file(found)
    messages.success(request, "File removed.")
    return redirect("knowledge:edit", pk=found.article_id)

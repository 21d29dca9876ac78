"""Downloads: every file goes out through here, checked like its ticket (helpdesk.permissions).

Only sniffed raster images are shown inline; everything else (SVG, HTML, PDF, a ``.png`` that is HTML)
is a download as ``application/octet-stream``. Every response carries ``nosniff`` and a sandboxing CSP."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from helpdesk.permissions import can_view_attachment
from tickets.formatting import render_markdown

from . import selectors
from .models import Attachment

SANDBOX_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _allowed(request: HttpRequest, pk: int) -> Attachment | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = selectors.for_download(pk)
    if attachment is None or not can_view_attachment(request.user, attachment):
        raise Http404("No such file.")  # the same answer whether it exists or not
    return attachment


def _harden(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _open(name: str):  # noqa: ANN202 - a storage File
    try:
        return default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is missing from storage.") from exc


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    found = _allowed(request, pk)
    if not isinstance(found, Attachment):
        return found
    inline = found.is_inline_image and request.GET.get("download") != "1"
    response = FileResponse(
        _open(found.file.name),
        as_attachment=not inline,
        filename=found.original_name,
        content_type=found.sniffed_type if inline else "application/octet-stream",
    )
    return _harden(response)


@require_GET
def thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _allowed(request, pk)
    if not isinstance(found, Attachment):
        return found
    if not found.thumbnail:
        raise Http404("No preview for this file.")
    return _harden(FileResponse(_open(found.thumbnail.name), content_type="image/png"))


@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The reply box's preview: the typed Markdown rendered exactly as the conversation will show it."""
    if not request.user.is_authenticated:
        raise PermissionDenied("Sign in to preview.")
    text = request.POST.get("text", "")[:200_000]
    html = render_markdown(text) if text.strip() else "<p class='muted'>Nothing to preview yet.</p>"
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response

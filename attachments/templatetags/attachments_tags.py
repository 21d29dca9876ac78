"""``{% load attachments_tags %}``: the composer pieces for any message form, and a message's files.

{% upload_field uploads upload_errors paste_hint=True %}   file picker / drop zone / kept files
{% md_toolbar "id_body" %}                                 Markdown toolbar + preview pane
{% message_files m %}                                      thumbnails and download links
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from attachments import checks

register = template.Library()


def limits() -> dict[str, Any]:
    return {
        "files": checks.max_files(),
        "per_file": checks.human_size(checks.max_file_bytes()),
        "total": checks.human_size(checks.max_total_bytes()),
    }


@register.inclusion_tag("attachments/upload_field.html")
def upload_field(
    uploads: Any = None, upload_errors: Any = None, *, paste_hint: bool = False, field_id: str = "id_files"
) -> dict[str, Any]:
    return {
        "uploads": uploads,
        "upload_errors": upload_errors or [],
        "paste_hint": paste_hint,
        "field_id": field_id,
        "upload_limits": limits(),
    }


@register.inclusion_tag("attachments/toolbar.html")
def md_toolbar(target: str) -> dict[str, Any]:
    return {"target": target, "preview_url": reverse("attachments:preview")}


@register.inclusion_tag("attachments/files.html")
def message_files(message: Any) -> dict[str, Any]:
    """Uses the prefetched ``attachments`` (``attachments.selectors.prefetch_on_messages``)."""
    return {"files": list(message.attachments.all()) if message.pk else []}

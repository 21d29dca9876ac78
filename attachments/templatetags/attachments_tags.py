"""``{% load attachments_tags %}``: the composer pieces for any message form, and a message's files.

{% upload_field uploads upload_errors paste_hint=True %}   file picker / drop zone / kept files
{% md_toolbar "id_body" %}                                 Markdown toolbar + preview pane
{% message_files m %}                                      thumbnails and download links
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

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
    return {"files_form": files_form(uploads, upload_errors, paste_hint=paste_hint, field_id=field_id)}


def files_form(
    uploads: Any = None, upload_errors: Any = None, *, paste_hint: bool = False, field_id: str = "id_files"
) -> dict[str, Any]:
    return {
        "uploads": uploads,
        "upload_errors": list(upload_errors or []),
        "paste_hint": paste_hint,
        "field_id": field_id,
        "upload_limits": limits(),
        "toolbar_template": "attachments/toolbar.html",
        "preview_url": reverse("attachments:preview"),
    }


@register.inclusion_tag("attachments/toolbar.html")
def md_toolbar(target: str) -> dict[str, Any]:
    return {"target": target, "preview_url": reverse("attachments:preview")}


@register.simple_tag
def message_files(message: Any) -> SafeString:
    """A message's files (prefetched ``attachments``): images as thumbnails that open full size, other
    files as download links. Built in Python: a conversation renders this 50+ times per page."""
    files = list(message.attachments.all()) if message.pk else []
    if not files:
        return mark_safe("")  # noqa: S308 - empty
    items = []
    for a in files:
        url = download_url(a.pk)
        if a.thumbnail:
            items.append(
                format_html(
                    '<li class="attachment image"><a href="{}" target="_blank" rel="noopener"'
                    ' title="Open {} full size"><img src="{}thumbnail/" alt="{}" loading="lazy"'
                    ' class="thumb">'
                    "</a></li>",
                    url,
                    a.original_name,
                    url,
                    a.original_name,
                )
            )
        else:
            items.append(
                format_html(
                    '<li class="attachment"><a href="{}" download>{}</a> <small>{}</small></li>',
                    url,
                    a.original_name,
                    filesizeformat(a.size),
                )
            )
    return format_html('<ul class="attachments">{}</ul>', mark_safe("".join(items)))  # noqa: S308


def download_url(pk: int) -> str:
    """``reverse("attachments:download", args=[pk])`` without resolving the URLconf per file."""
    return reverse("attachments:download", args=[0])[:-2] + f"{pk}/"

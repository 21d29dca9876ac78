"""Reads for attachments."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import Attachment


def for_download(pk: int) -> Attachment | None:
    """One attachment with what the permission check needs (message and ticket) in one query."""
    return Attachment.objects.select_related("message__ticket").filter(pk=pk).first()


def prefetch_on_messages() -> Prefetch:
    """``prefetch_related`` argument that loads every message's attachments in one query."""
    return Prefetch(
        "attachments",
        queryset=Attachment.objects.only(
            "id", "message_id", "original_name", "size", "sniffed_type", "thumbnail", "content_id"
        ).order_by("id"),
    )

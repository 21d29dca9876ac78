"""Reads for attachments."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

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


def pending_for(user: object, ids: list[int]) -> QuerySet[Attachment]:
    return Attachment.objects.filter(pk__in=ids, message__isnull=True, uploader=user)

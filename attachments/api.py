"""API shapes for attachments: a message's files as the ticket API shows them, and the multipart part
of the reply/note endpoints (``files``), checked and stored like the screens' uploads."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .models import Attachment


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "url", "thumbnail_url"]

    def get_content_type(self, obj: Attachment) -> str:
        return obj.sniffed_type or "application/octet-stream"

    def get_thumbnail_url(self, obj: Attachment) -> str | None:
        return obj.thumbnail_url() if obj.thumbnail else None


def files_of(message: Any) -> list[dict[str, Any]]:
    return AttachmentSerializer(list(message.attachments.all()), many=True).data

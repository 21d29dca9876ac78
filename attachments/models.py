"""Files that belong to a conversation message (and later to knowledge-base articles).

The stored file's name is random (``attachments/<yyyy>/<mm>/<32 hex>``), never the user's: the
sanitised original name is kept in ``original_name`` and only ever sent back in a
``Content-Disposition`` header."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

RASTER_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def upload_path(instance: Any, filename: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{secrets.token_hex(16)}"


def thumbnail_path(instance: Any, filename: str) -> str:
    now = timezone.now()
    return f"thumbnails/{now:%Y/%m}/{secrets.token_hex(16)}.png"


class Attachment(models.Model):
    message = models.ForeignKey(
        "tickets.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=upload_path, max_length=255)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    declared_type = models.CharField(max_length=255, blank=True, default="")
    sniffed_type = models.CharField(max_length=255, blank=True, default="")
    content_id = models.CharField(max_length=255, blank=True, default="")
    thumbnail = models.FileField(upload_to=thumbnail_path, max_length=255, blank=True, default="")
    # Stored for a send that failed for another reason (the person need not choose it again); claimed by
    # the next send, or deleted by ``attachments.uploads.sweep_pending`` after a day.
    pending = models.BooleanField(default=False)
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["message", "id"], name="attachment_message"),
            models.Index(fields=["created_at"], name="attachment_pending", condition=models.Q(pending=True)),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("attachments:download", args=[self.pk])

    @property
    def is_inline_image(self) -> bool:
        """Shown inline (and as a thumbnail) only when the bytes really are a raster image."""
        return self.sniffed_type in RASTER_IMAGE_TYPES

    def thumbnail_url(self) -> str:
        from django.urls import reverse

        return reverse("attachments:thumbnail", args=[self.pk])

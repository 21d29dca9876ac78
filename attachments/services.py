"""Writes for attachments: validate uploads, store files (uploads, email parts), make thumbnails.

Files go through Django's default storage (``STORAGES["default"]``: ``var/media/`` or S3). A file is
written before its row; if the surrounding transaction (or savepoint) rolls back, the file is deleted
again (``_DeleteOnRollback``), so a failed send never leaves an orphan in storage."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from . import checks
from .models import Attachment, thumbnail_path, upload_path

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = (320, 240)
THUMBNAIL_MAX_PIXELS = 60_000_000  # refuse to decode images bigger than this (decompression bombs)


class _DeleteOnRollback:
    """An ``on_commit`` callback that only marks the files as kept. Django drops pending callbacks
    unrun when their transaction or savepoint rolls back; when this object is then freed, the files
    it guards are deleted from storage."""

    def __init__(self, storage: Storage, names: list[str]) -> None:
        self.storage, self.names, self.kept = storage, names, False

    def __call__(self) -> None:
        self.kept = True

    def __del__(self) -> None:
        if self.kept:
            return
        for name in self.names:
            try:
                self.storage.delete(name)
            except Exception:  # noqa: BLE001 - a failed clean-up must not mask the rollback's cause
                log.exception("could not delete %s after a rollback", name)


def _guard(storage: Storage, *names: str) -> None:
    transaction.on_commit(_DeleteOnRollback(storage, [n for n in names if n]))


def _head_and_digest(content: File) -> tuple[bytes, str, int]:
    content.seek(0)
    digest, size, head = hashlib.sha256(), 0, b""
    for chunk in content.chunks():
        if len(head) < checks.SNIFF_BYTES:
            head += chunk[: checks.SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    return head, digest.hexdigest(), size


def _head(content: File) -> bytes:
    content.seek(0)
    head = content.read(checks.SNIFF_BYTES)
    content.seek(0)
    return head or b""


def upload_problem(upload: UploadedFile) -> str | None:
    """What is wrong with one upload on its own (name, emptiness, size, type), as "“name” …", or None."""
    raw = upload.name or ""
    problem = checks.name_problem(raw)
    size = upload.size or 0
    if problem is None and size == 0:
        problem = "is empty"
    if problem is None and size > checks.max_file_bytes():
        limit = checks.human_size(checks.max_file_bytes())
        problem = f"is {checks.human_size(size)}; the limit is {limit} per file"
    if problem is None:
        problem = checks.type_problem(raw, upload.content_type or "", checks.sniff(_head(upload)))
    return f"“{checks.sanitize_filename(raw, fallback='A file')}” {problem}." if problem else None


def validate_uploads(files: Sequence[UploadedFile], *, kept: Sequence[Attachment] = ()) -> list[str]:
    """Everything wrong with this set of uploads (plus files ``kept`` from an earlier try), as messages
    for the person who chose them. Empty when they may be stored."""
    errors: list[str] = []
    count = len(files) + len(kept)
    if count > checks.max_files():
        errors.append(f"Attach at most {checks.max_files()} files to one message (you chose {count}).")
    errors += [problem for upload in files if (problem := upload_problem(upload))]
    total = sum(upload.size or 0 for upload in files) + sum(a.size for a in kept)
    if total > checks.max_total_bytes():
        errors.append(
            f"These files add up to {checks.human_size(total)}; one message can carry "
            f"{checks.human_size(checks.max_total_bytes())}."
        )
    return errors


def attach_uploads(message: Any, files: Iterable[UploadedFile], *, uploader: Any = None) -> list[Attachment]:
    """Store validated uploads on ``message`` (call ``validate_uploads`` first)."""
    with transaction.atomic():
        return [
            _store(
                message,
                upload,
                filename=upload.name or "",
                declared_type=upload.content_type or "",
                uploader=uploader,
            )
            for upload in files
        ]


def store_pending(upload: UploadedFile, *, uploader: Any = None) -> Attachment:
    """Keep a valid upload of a send that failed for another reason, until the person sends again."""
    with transaction.atomic():
        return _store(
            None,
            upload,
            filename=upload.name or "",
            declared_type=upload.content_type or "",
            uploader=uploader,
            pending=True,
        )


def delete_attachment(attachment: Attachment) -> None:
    """Delete the row now and its files once that is committed."""
    names = [n for n in (attachment.file.name, attachment.thumbnail.name) if n]
    attachment.delete()
    storage = default_storage
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


def store_bytes(
    message: Any,
    *,
    filename: str,
    content: bytes,
    declared_type: str = "",
    uploader: Any = None,
    content_id: str = "",
) -> Attachment:
    """Store a file we received as bytes (an email part). Never refused for its name or type: what a
    requester sends is kept; it is only ever served as a download unless it is really a raster image."""
    with transaction.atomic():
        return _store(
            message,
            ContentFile(content),
            filename=filename,
            declared_type=declared_type,
            uploader=uploader,
            content_id=content_id,
        )


def _store(
    message: Any,
    content: File,
    *,
    filename: str,
    declared_type: str,
    uploader: Any,
    content_id: str = "",
    pending: bool = False,
) -> Attachment:
    head, digest, size = _head_and_digest(content)
    sniffed = checks.sniff(head)
    storage = default_storage
    name = storage.save(upload_path(None, filename), content)
    _guard(storage, name)
    attachment = Attachment(
        message=message,
        original_name=checks.sanitize_filename(filename),
        size=size,
        sha256=digest,
        declared_type=(declared_type or "")[:255],
        sniffed_type=sniffed,
        content_id=(content_id or "").strip().strip("<>")[:255],
        uploader=uploader if getattr(uploader, "is_authenticated", False) else None,
        pending=pending,
    )
    attachment.file.name = name
    if attachment.is_inline_image:
        attachment.thumbnail.name = make_thumbnail(storage, content)
    attachment.save()
    return attachment


def make_thumbnail(storage: Storage, content: File) -> str:
    """A PNG thumbnail stored next to the files (guarded like them); "" when the image cannot be read."""
    from PIL import Image

    try:
        content.seek(0)
        with Image.open(content) as image:
            if image.width * image.height > THUMBNAIL_MAX_PIXELS:
                return ""
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, "PNG")
    except Exception:  # noqa: BLE001 - a broken image is still kept, just without a preview
        log.warning("no thumbnail for an attachment that looked like an image", exc_info=True)
        return ""
    finally:
        content.seek(0)
    name = storage.save(thumbnail_path(None, ""), ContentFile(out.getvalue()))
    _guard(storage, name)
    return name

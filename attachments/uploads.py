"""Files sent with a form (workspace reply/note, portal, contact form) or the API, in three steps:

    uploads = from_request(request)          # new files + files kept from an earlier failed send
    if uploads.errors: ...                   # show them on the form; call keep_valid() so the good
                                             #   files survive the re-render (hidden ``kept_files``)
    save(message, uploads, uploader=user)    # inside the message's transaction

Kept files are stored once, without a message, and only ever claimed through a signed token by the
same uploader; ``sweep_pending`` deletes those never sent."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Attachment

log = logging.getLogger(__name__)

FIELD = "files"
KEPT_FIELD = "kept_files"
_SALT = "attachments.kept"
PENDING_HOURS = 24


@dataclass
class Uploads:
    new: list[UploadedFile] = field(default_factory=list)
    kept: list[Attachment] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    token: str = ""

    def __bool__(self) -> bool:
        return bool(self.new or self.kept)

    @property
    def names(self) -> list[str]:
        return [a.original_name for a in self.kept]


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def kept_from_token(token: str, user: Any) -> list[Attachment]:
    """The pending files a signed token names, if they still exist and belong to ``user``."""
    if not token:
        return []
    try:
        ids = signing.loads(token, salt=_SALT, max_age=PENDING_HOURS * 3600)
    except signing.BadSignature:
        return []
    owner = _user(user)
    qs = Attachment.objects.filter(pk__in=[int(i) for i in ids], pending=True)
    qs = qs.filter(uploader=owner) if owner else qs.filter(uploader__isnull=True)
    return list(qs.order_by("id"))


def token_for(attachments: list[Attachment]) -> str:
    return signing.dumps([a.pk for a in attachments], salt=_SALT) if attachments else ""


def from_request(request: Any, *, files: list[UploadedFile] | None = None) -> Uploads:
    """Read and check the files of a request (``files`` overrides ``request.FILES[FIELD]``)."""
    new = list(files) if files is not None else list(request.FILES.getlist(FIELD))
    kept = kept_from_token(request.POST.get(KEPT_FIELD, "") if hasattr(request, "POST") else "", request.user)
    errors = services.validate_uploads(new, kept=kept)
    return Uploads(new=new, kept=kept, errors=errors, token=token_for(kept))


def keep_valid(uploads: Uploads, uploader: Any) -> Uploads:
    """After a failed send: store the new files that are fine on their own (no message yet), so the
    person does not have to choose them again; the token goes back in the form."""
    good = [u for u in uploads.new if services.upload_problem(u) is None]
    room = max(0, services.checks.max_files() - len(uploads.kept))
    with transaction.atomic():
        stored = [services.store_pending(u, uploader=_user(uploader)) for u in good[:room]]
    uploads.kept = uploads.kept + stored
    uploads.new = []
    uploads.token = token_for(uploads.kept)
    return uploads


def save(message: Any, uploads: Uploads, *, uploader: Any = None) -> list[Attachment]:
    """Attach the new files and claim the kept ones (call inside the message's transaction)."""
    if not uploads:
        return []
    stored = services.attach_uploads(message, uploads.new, uploader=_user(uploader))
    if uploads.kept:
        Attachment.objects.filter(pk__in=[a.pk for a in uploads.kept], pending=True).update(
            message=message, pending=False
        )
    return [*uploads.kept, *stored]


def sweep_pending(now: dt.datetime | None = None, batch: int = 500) -> int:
    """Delete files kept for a send that never happened (beat job; idempotent, one bad row skipped)."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=PENDING_HOURS + 1)
    removed = 0
    rows = list(Attachment.objects.filter(pending=True, created_at__lt=cutoff).order_by("id")[:batch])
    for row in rows:
        try:
            with transaction.atomic():
                services.delete_attachment(row)
            removed += 1
        except Exception:  # noqa: BLE001 - one bad row never stops the sweep
            log.exception("could not delete pending attachment %s", row.pk)
    return removed


class MessageFiles:
    """What the ticket screens and API call for the files of a message they write (installed by
    ``helpdesk/workspace.py`` into ``tickets.extensions``, so tickets imports no other app)."""

    template = "attachments/upload_field.html"

    def read(self, request: Any) -> Uploads:
        return from_request(request)

    def keep(self, uploads: Uploads, user: Any) -> Uploads:
        return keep_valid(uploads, user)

    def save(self, message: Any, uploads: Uploads, user: Any) -> list[Attachment]:
        return save(message, uploads, uploader=user)

    def context(self, uploads: Uploads | None = None, *, paste_hint: bool = True) -> dict[str, Any]:
        """What ``template`` needs (limits, kept files, errors)."""
        from .templatetags.attachments_tags import files_form

        return files_form(uploads, uploads.errors if uploads is not None else None, paste_hint=paste_hint)

    def serialize(self, message: Any) -> list[dict[str, Any]]:
        from .api import files_of

        return files_of(message)


MESSAGE_FILES = MessageFiles()

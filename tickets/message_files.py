"""Files and format of a message written on our screens or through the API.

``tickets`` imports no feature app: the object that checks, keeps and stores files is named once in
``settings.HELPDESK_MESSAGE_FILES`` (``attachments.uploads.MESSAGE_FILES``) and reached only through
these functions. Views call them around the reply services, inside one transaction:

    uploads = message_files.read(request)            # None when no file handling is configured
    if message_files.errors(uploads): ...             # show them; the typed text stays in the form
    with transaction.atomic():
        message = services.add_reply(...)
        message_files.finish(message, uploads, user)  # Markdown format + the files, or nothing at all
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Message, MessageFormat


@cache
def _hook() -> Any:
    path = getattr(settings, "HELPDESK_MESSAGE_FILES", "")
    return import_string(path) if path else None


def read(request: Any) -> Any:
    hook = _hook()
    return hook.read(request) if hook else None


def errors(uploads: Any) -> list[str]:
    return list(uploads.errors) if uploads is not None else []


def keep(uploads: Any, user: Any) -> Any:
    """After a failed send: keep the good files for the next try (returned object goes to the form)."""
    hook = _hook()
    return hook.keep(uploads, user) if hook and uploads else uploads


def finish(message: Message, uploads: Any, user: Any, *, fmt: str = MessageFormat.MARKDOWN) -> None:
    """Mark the message as written in ``fmt`` and store its files (call in the send's transaction)."""
    if fmt != message.format:
        Message.objects.filter(pk=message.pk).update(format=fmt)
        message.format = fmt
    hook = _hook()
    if hook and uploads:
        hook.save(message, uploads, user)


def context(uploads: Any = None, *, paste_hint: bool = True) -> dict[str, Any] | None:
    """What the file part of a message form needs (``template`` plus its context), or None."""
    hook = _hook()
    if hook is None:
        return None
    return {"template": hook.template, **hook.context(uploads, paste_hint=paste_hint)}


def serialize(message: Message) -> list[dict[str, Any]]:
    hook = _hook()
    return hook.serialize(message) if hook else []

"""IMAP mailboxes (imap-tools): fetch by UID after the last one seen, store each message, and only then
flag it read (or move it). A message already stored for the mailbox (same Message-ID) is not stored again,
so a crash between store and flag, a second poll or a restart never duplicates a ticket."""

from __future__ import annotations

import logging
import os

from django.db import transaction
from django.utils import timezone
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags
from imap_tools.query import U

from mail.models import Mailbox
from mail.parsing import fallback_message_id, message_ids

from .store import store

log = logging.getLogger(__name__)
BATCH = 200


def _client(box: Mailbox) -> MailBox:
    if box.security == Mailbox.Security.SSL:
        return MailBox(box.host, box.port, timeout=30)
    if box.security == Mailbox.Security.STARTTLS:
        return MailBoxStartTls(box.host, box.port, timeout=30)
    return MailBoxUnencrypted(box.host, box.port, timeout=30)


def poll_all() -> dict[str, int]:
    stored = failed = 0
    for box in Mailbox.objects.filter(is_active=True).order_by("id"):
        try:
            stored += poll(box)
        except Exception as exc:  # one broken mailbox never stops the others
            failed += 1
            log.warning("mailbox %s: %s", box.name, exc)
            Mailbox.objects.filter(pk=box.pk).update(
                last_error=f"{type(exc).__name__}: {exc}"[:2000], last_polled_at=timezone.now()
            )
    return {"stored": stored, "failed": failed}


def poll(box: Mailbox) -> int:
    password = os.environ.get(box.password_env)
    if password is None:
        raise RuntimeError(f"The environment variable {box.password_env} is not set on the server.")
    stored = 0
    with _client(box).login(box.username, password, initial_folder=box.folder) as client:
        validity = _uidvalidity(client, box.folder)
        if box.uidvalidity is not None and validity is not None and validity != box.uidvalidity:
            box.last_uid = 0  # the folder was rebuilt: UIDs restart; Message-ID dedupe keeps us exact
        box.uidvalidity = validity
        criteria = AND(uid=U(box.last_uid + 1, "*")) if box.last_uid else "ALL"
        for msg in client.fetch(criteria, mark_seen=False, bulk=BATCH, limit=BATCH * 5):
            uid = int(msg.uid or 0)
            if uid <= box.last_uid:
                continue  # "N:*" always returns the newest message, even when it is older than N
            raw = msg.obj.as_bytes()
            found = message_ids(str(msg.obj.get("Message-ID", "")))
            message_id = found[0] if found else fallback_message_id(raw)
            if store(raw, channel="imap", mailbox=box, message_id=message_id) is not None:
                stored += 1
            _done(client, box, str(uid))
            box.last_uid = uid
            Mailbox.objects.filter(pk=box.pk).update(last_uid=uid, uidvalidity=validity)
    box.last_polled_at, box.last_error = timezone.now(), ""
    with transaction.atomic():
        box.save(update_fields=["last_uid", "uidvalidity", "last_polled_at", "last_error"])
    return stored


def _done(client: MailBox, box: Mailbox, uid: str) -> None:
    if box.move_to:
        client.move(uid, box.move_to)
    else:
        client.flag(uid, MailMessageFlags.SEEN, True)


def _uidvalidity(client: MailBox, folder: str) -> int | None:
    try:
        return int(client.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])
    except Exception:
        return None

"""Store-first: one committed row with the raw bytes before anything else happens to a message."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from mail.models import InboundEmail, Mailbox

log = logging.getLogger(__name__)


def store(
    raw: bytes,
    *,
    channel: str,
    envelope_from: str = "",
    envelope_to: Iterable[str] = (),
    mailbox: Mailbox | None = None,
    message_id: str = "",
    kick: bool = True,
) -> InboundEmail | None:
    """Commit the raw message and queue its processing after commit. Returns None only when ``mailbox``
    already holds a message with this Message-ID (an IMAP message fetched again)."""
    try:
        with transaction.atomic():
            row = InboundEmail.objects.create(
                channel=channel,
                raw=raw,
                size=len(raw),
                envelope_from=(envelope_from or "")[:320],
                envelope_to=[str(a)[:320] for a in envelope_to][:1000],
                mailbox=mailbox,
                email_message_id=message_id[:250],
            )
            if kick:
                transaction.on_commit(lambda: kick_processing(row.pk))
    except IntegrityError:
        if mailbox is None:
            raise
        return None
    return row


def kick_processing(pk: int) -> None:
    from mail.tasks import process_inbound_email

    try:
        process_inbound_email.delay(pk)
    except Exception:  # broker down: the beat sweep picks the row up within a minute
        log.warning("could not queue inbound email %s; the sweep will process it", pk, exc_info=True)

"""What staff do on the Inbound problems screen: retry, discard, allow the sender."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mail.models import InboundEmail
from tickets.errors import InvalidInput

from .blocklist import unblock_sender
from .processing import process

RETRYABLE = (InboundEmail.State.FAILED, InboundEmail.State.HELD, InboundEmail.State.BLOCKED)


def retry(pk: int, by: Any = None, *, allow_over_cap: bool = False) -> InboundEmail:
    with transaction.atomic():
        row = InboundEmail.objects.select_for_update().get(pk=pk)
        if row.state not in RETRYABLE:
            raise InvalidInput("Only failed, held or blocked messages can be retried.")
        row.state, row.error, row.outcome = InboundEmail.State.RECEIVED, "", ""
        row.allow_over_cap = row.allow_over_cap or allow_over_cap
        row.save(update_fields=["state", "error", "outcome", "allow_over_cap"])
    return process(pk) or row


def discard(pk: int, by: Any = None) -> InboundEmail:
    with transaction.atomic():
        row = InboundEmail.objects.select_for_update().get(pk=pk)
        if row.state not in RETRYABLE:
            raise InvalidInput("Only failed, held or blocked messages can be discarded.")
        who = getattr(by, "username", "") or "staff"
        row.state, row.outcome = InboundEmail.State.DISCARDED, f"Discarded by {who}."
        row.save(update_fields=["state", "outcome"])
    return row


def allow_sender(pk: int, by: Any = None) -> InboundEmail:
    """Take the sender off the blocklist (address and domain) and let this message through the cap."""
    row = InboundEmail.objects.get(pk=pk)
    if row.from_email:
        unblock_sender(row.from_email, by)
        unblock_sender(row.from_email.rpartition("@")[2], by)
    return retry(pk, by, allow_over_cap=True)

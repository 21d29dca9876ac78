"""Spam (issue #16; 003 "spam doesn't need a response"): "Mark as spam" takes a ticket out of every queue
without a word to anyone, "Not spam" puts it back. The sender's blocking (mail's blocklist) and the SLA
clock follow through the ``spam_changed`` signal (receivers in ``helpdesk/wiring.py``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tickets import signals
from tickets.errors import InvalidInput
from tickets.models import Ticket

from .core import lock, record, save_fields
from .status import schedule_timer


def mark_spam(ticket: Ticket, by: Any, *, expected_version: int | None = None) -> Ticket:
    """1. lock (version check); 2. refuse a merged ticket; 3. flag it and stop its timers and promise;
    4. one ``marked_spam`` event (no follower notice is wired to it); 5. ``spam_changed`` (sender blocked,
    SLA clock stopped). No outbox row is written anywhere on this path."""
    now = timezone.now()
    with transaction.atomic():
        locked = lock(ticket, expected_version)
        if locked.spam_at is not None:
            return locked
        if locked.merged_into_id:
            raise InvalidInput(f"#{locked.number} was merged into another ticket; it cannot be spam.")
        locked.spam_at = now
        locked.next_action, locked.next_action_at = "", None  # no reminder or auto-resolve mail
        locked.commitment_due_at = None
        save_fields(locked, "spam_at", "next_action", "next_action_at", "commitment_due_at")
        record(locked, "marked_spam", by, sender=locked.requester.email)
        signals.spam_changed.send(Ticket, ticket=locked, at=now, by=by, spam=True)
    return locked


def not_spam(ticket: Ticket, by: Any, *, expected_version: int | None = None) -> Ticket:
    """Undo :func:`mark_spam`: back in its queue with its status's timer, the sender unblocked."""
    now = timezone.now()
    with transaction.atomic():
        locked = lock(ticket, expected_version)
        if locked.spam_at is None:
            return locked
        locked.spam_at = None
        schedule_timer(locked, now)
        save_fields(locked, "spam_at", "next_action", "next_action_at")
        record(locked, "not_spam", by, sender=locked.requester.email)
        signals.spam_changed.send(Ticket, ticket=locked, at=now, by=by, spam=False)
    return locked

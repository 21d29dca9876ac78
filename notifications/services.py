"""Writing notices: one ``notify`` fan-out used by every follower, mention and hand-off path, and marking
notices read. Rows go to the ``tickets.Notification`` outbox in the caller's transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from tickets.models import Notification, Ticket

from . import preferences, selectors
from .reasons import NEVER_SILENT, Channel, Group, group_of

log = logging.getLogger(__name__)


def notify(
    users: Iterable[Any],
    reason: str,
    ticket: Ticket | None,
    body: str,
    *,
    key: str,
    actor: Any = None,
    exclude: Iterable[int] = (),
) -> int:
    """Tell ``users`` (users or ids) about ``ticket``: one in-app row each, written with ONE bulk INSERT.

    Never the actor; never someone who chose "nothing" for the reason's group (on-call pages and SLA red
    excepted). ``key`` + the recipient makes the dedupe key, so the same event never notifies anyone twice.
    Email is not sent from here: the digest job batches it per recipient. Returns rows written."""
    skip = {getattr(actor, "pk", actor), *exclude} - {None}
    ids = sorted({getattr(u, "pk", u) for u in users} - skip)
    if not ids:
        return 0
    group = group_of(reason)
    channels = preferences.channels_for(ids, group) if group else {}
    subject = (
        f"[#{ticket.number}] {ticket.subject}"[:250] if ticket else reason.replace("_", " ").capitalize()
    )
    rows = [
        Notification.in_app(
            ticket=ticket,
            recipient_user_id=pk,
            reason=reason,
            subject=subject,
            body=body,
            dedupe_key=f"{key}:u{pk}"[:200],
        )
        for pk in ids
        if channels.get(pk) != Channel.NONE or reason in NEVER_SILENT or group == Group.ONCALL
    ]
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        told = [row.recipient_user_id for row in rows]
        selectors.forget_counts(told)  # and again after commit: a page in between may re-cache the old count
        transaction.on_commit(lambda: selectors.forget_counts(told))
    return len(rows)


def mark_read(user: Any, notification_id: int) -> Notification | None:
    row = (
        Notification.objects.filter(pk=notification_id, recipient_user=user).select_related("ticket").first()
    )
    if row is not None and row.read_at is None:
        row.read_at = timezone.now()
        Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=row.read_at)
        selectors.forget_counts([user.pk])
    return row


def mark_all_read(user: Any) -> int:
    with transaction.atomic():
        n = Notification.objects.filter(
            recipient_user=user, channel=Notification.Channel.IN_APP, read_at__isnull=True
        ).update(read_at=timezone.now())
    selectors.forget_counts([user.pk])
    return n

"""Email digests: a person who wants a group of notices by email gets ONE email with every update that
arrived within a short window, not one email per event. Beat runs ``send_digests`` every minute; each
recipient's cursor moves in the same transaction as the queued email, so a second run sends nothing."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tickets import outbox
from tickets.models import Notification

from .models import DigestCursor, NotificationPreference
from .reasons import EMAILED_AT_ONCE, REASONS, Channel
from .webhooks import absolute

log = logging.getLogger(__name__)

SETTLE = dt.timedelta(seconds=20)  # rows younger than this may belong to a transaction still committing
MAX_ITEMS = 50


def window() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "HELPDESK_DIGEST_MINUTES", 5))


def send_digests(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"sent": 0, "waiting": 0, "skipped": 0}
    wanted: dict[int, list[str]] = {}
    for user_id, group in NotificationPreference.objects.filter(
        channel__in=(Channel.EMAIL, Channel.BOTH)
    ).values_list("user_id", "group"):
        wanted.setdefault(user_id, []).extend(r for r in REASONS.get(group, ()) if r not in EMAILED_AT_ONCE)
    for user_id, reasons in wanted.items():
        try:
            counts[_one(user_id, reasons, now)] += 1
        except Exception:  # one bad recipient never stops the batch
            log.exception("digest for user %s failed", user_id)
            counts["skipped"] += 1
    return counts


def _one(user_id: int, reasons: list[str], now: dt.datetime) -> str:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or not reasons:
        return "skipped"
    with transaction.atomic():
        cursor, _ = DigestCursor.objects.select_for_update().get_or_create(user_id=user_id)
        rows = list(
            Notification.objects.filter(
                recipient_user_id=user_id,
                channel=Notification.Channel.IN_APP,
                reason__in=reasons,
                id__gt=cursor.last_id,
                created_at__lte=now - SETTLE,
            )
            .select_related("ticket")
            .order_by("id")[:MAX_ITEMS]
        )
        if not rows:
            return "waiting"
        if rows[0].created_at > now - window() and len(rows) < MAX_ITEMS:
            return "waiting"  # the first update is recent: let more arrive and send them together
        _queue(user, rows)
        cursor.last_id, cursor.sent_at = rows[-1].id, now
        cursor.save(update_fields=["last_id", "sent_at"])
    return "sent"


def _queue(user: Any, rows: list[Notification]) -> None:
    lines = []
    for row in rows:
        link = absolute(row.ticket.get_absolute_url()) if row.ticket_id else absolute("/notifications/")
        lines.append(f"- {row.body}\n  {link}")
    count = len(rows)
    subject = f"{count} update{'s' if count != 1 else ''} from the helpdesk"
    body = (
        f"Hi {user.get_full_name() or user.get_username()},\n\n"
        + "\n".join(lines)
        + f"\n\nAll your notices: {absolute('/notifications/')}\n"
        + f"Choose what reaches you by email: {absolute('/notifications/preferences/')}\n"
    )
    outbox.notify_email(
        None, user.email, "digest", f"digest:{user.pk}:{rows[0].id}-{rows[-1].id}", subject, body
    )

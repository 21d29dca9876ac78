"""Reads for the bell and the notification centre: constant queries, keyset pages, the inbox index."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tickets.models import Notification

from . import preferences

PAGE_SIZE = 30


def _inbox(user: Any) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient_user=user, channel=Notification.Channel.IN_APP)
    hidden = preferences.hidden_reasons(user.pk)
    return qs.exclude(reason__in=hidden) if hidden else qs


def unread_count(user: Any) -> int:
    """One indexed query (recipient_user, read_at)."""
    return _inbox(user).filter(read_at__isnull=True).count()


def page(
    user: Any, *, before: int | None = None, unread_only: bool = False
) -> tuple[list[Notification], int | None]:
    """Newest first, ``PAGE_SIZE`` per page; returns the rows and the cursor of the next page."""
    qs = _inbox(user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if before:
        qs = qs.filter(id__lt=before)
    rows = list(
        qs.select_related("ticket")
        .only("id", "reason", "subject", "body", "created_at", "read_at", "ticket__number", "ticket__subject")
        .order_by("-id")[: PAGE_SIZE + 1]
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].id if more and rows else None)

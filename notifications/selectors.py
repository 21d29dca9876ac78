"""Reads for the bell and the notification centre: constant queries, keyset pages, the inbox index."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When

from helpdesk import prepared
from tickets.models import Notification

from .models import NotificationPreference
from .reasons import NEVER_SILENT, REASONS, Channel

PAGE_SIZE = 30


GROUP_OF_REASON = Case(
    *[When(reason__in=list(reasons), then=Value(str(group))) for group, reasons in REASONS.items()],
    default=Value(""),
    output_field=CharField(),
)


def _inbox(user_id: Any) -> QuerySet[Notification]:
    """The person's in-app notices minus the groups they chose to get by email only or not at all (never
    on-call pages or SLA red) — preferences applied inside the same single SQL statement."""
    prefs = NotificationPreference.objects.filter(user_id=user_id, group=OuterRef("_group"))
    email_only = Exists(prefs.filter(channel=Channel.EMAIL))
    muted = Exists(prefs.filter(channel=Channel.NONE))
    return (
        Notification.objects.filter(recipient_user_id=user_id, channel=Notification.Channel.IN_APP)
        .alias(_group=GROUP_OF_REASON)
        .exclude(email_only | (muted & ~Q(reason__in=list(NEVER_SILENT))))
    )


COUNT_SECONDS = 10  # the bell may lag a new notice by this much; reading notices clears it at once


def count_key(user_id: int) -> str:
    return f"notifications:unread:{connection.settings_dict['NAME']}:{user_id}"


def unread_count(user: Any) -> int:
    """One indexed query (recipient_user, read_at), kept for a few seconds in the shared cache."""
    key = count_key(user.pk)
    found = cache.get(key)
    if found is None:
        rows = prepared.run(("notifications.unread",), _unread, {"user": user.pk})
        found = rows[0]["n"] if rows else 0
        cache.set(key, found, COUNT_SECONDS)
    return found


def _unread(slot: prepared.Slots) -> QuerySet:
    """The unread count as a ``values()`` row, compiled once per process (``helpdesk.prepared``): building
    the preferences' CASE over every reason cost more Python than the indexed count itself."""
    return (
        _inbox(slot("user"))
        .filter(read_at__isnull=True)
        .order_by()
        .values("recipient_user_id")
        .annotate(n=Count("id"))
    )


def forget_counts(user_ids: Any) -> None:
    cache.delete_many([count_key(pk) for pk in user_ids])


def page(
    user: Any, *, before: int | None = None, unread_only: bool = False
) -> tuple[list[Notification], int | None]:
    """Newest first, ``PAGE_SIZE`` per page; returns the rows and the cursor of the next page."""
    qs = _inbox(user.pk)
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

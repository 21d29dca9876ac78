"""Reads of the email channel (keyset pages, newest first)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet

from tickets.models import Notification

from .models import BlockedSender, InboundEmail, Mailbox

PAGE = 50
PROBLEM_STATES = ("failed", "held", "blocked")


def _page(qs: QuerySet, before: str | None) -> tuple[list, int | None]:
    if before and before.isascii() and before.isdigit() and len(before) < 19:
        qs = qs.filter(pk__lt=int(before))
    rows = list(qs.order_by("-pk")[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return rows, (rows[-1].pk if more and rows else None)


def problems(state: str = "", before: str | None = None) -> tuple[list[InboundEmail], int | None]:
    states = [state] if state in PROBLEM_STATES else list(PROBLEM_STATES)
    qs = (
        InboundEmail.objects.filter(state__in=states)
        .defer("raw", "full_text", "html")
        .select_related("mailbox")
    )
    return _page(qs, before)


# The outgoing-mail screen's filters (issue #14/#15.2): claimed rows (with their lease), rows being retried
# after a failed attempt, and rows given up on.
OUTGOING_SHOW = {
    "sending": Q(state=Notification.State.SENDING),
    "retrying": Q(state=Notification.State.PENDING, attempts__gt=0),
    "failed": Q(state=Notification.State.FAILED),
}


def outgoing(before: str | None = None, show: str = "") -> tuple[list[Notification], int | None]:
    qs = Notification.objects.filter(*_show(show), channel=Notification.Channel.EMAIL)
    rows, next_before = _page(qs.select_related("ticket").defer("body"), before)
    lease = dt.timedelta(seconds=settings.HELPDESK_OUTBOX_LEASE_SECONDS)
    for n in rows:  # when a claimed row is taken back and retried
        n.lease_ends_at = n.claimed_at + lease if n.claimed_at else None
    return rows, next_before


def _show(show: str) -> list[Q]:
    return [OUTGOING_SHOW[show]] if show in OUTGOING_SHOW else []


def inbound(pk: int) -> InboundEmail:
    return InboundEmail.objects.select_related("ticket", "mailbox", "notification", "forwarded_by").get(pk=pk)


def blocked() -> QuerySet[BlockedSender]:
    return BlockedSender.objects.select_related("created_by").order_by("pattern")[:1000]


def mailboxes() -> QuerySet[Mailbox]:
    return Mailbox.objects.select_related("team").order_by("name")

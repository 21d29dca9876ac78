"""Reads of the email channel (keyset pages, newest first)."""

from __future__ import annotations

from django.db.models import QuerySet

from tickets.models import Notification

from .models import BlockedSender, InboundEmail, Mailbox

PAGE = 50
PROBLEM_STATES = ("failed", "held", "blocked")


def _page(qs: QuerySet, before: str | None) -> tuple[list, int | None]:
    if before and before.isdigit():
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


def outgoing(before: str | None = None) -> tuple[list[Notification], int | None]:
    qs = (
        Notification.objects.filter(channel=Notification.Channel.EMAIL).select_related("ticket").defer("body")
    )
    return _page(qs, before)


def inbound(pk: int) -> InboundEmail:
    return InboundEmail.objects.select_related("ticket", "mailbox", "notification", "forwarded_by").get(pk=pk)


def blocked() -> QuerySet[BlockedSender]:
    return BlockedSender.objects.select_related("created_by").order_by("pattern")[:1000]


def mailboxes() -> QuerySet[Mailbox]:
    return Mailbox.objects.select_related("team").order_by("name")

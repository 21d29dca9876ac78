"""Chat events the product writes in bulk (SLA bands) or outside tickets (known issues, status posts):
a beat job looks back over a short window and queues them; the per-webhook key makes a second look at
the same row add nothing, so the job is idempotent and never posts twice."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from escalation.models import KnownIssue
from tickets.models import TicketEvent

from . import webhooks
from .models import Webhook

log = logging.getLogger(__name__)

LOOKBACK = dt.timedelta(minutes=15)


def queue_recent(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    since = now - LOOKBACK
    if not Webhook.objects.filter(is_active=True).exists():
        return 0
    queued = 0
    with transaction.atomic():
        queued += _red_tickets(since)
        queued += _known_issues(since)
    return queued


def _red_tickets(since: dt.datetime) -> int:
    if not Webhook.objects.filter(is_active=True, on_ticket_red=True).exists():
        return 0
    events = (
        TicketEvent.objects.filter(verb="sla_band_changed", at__gte=since, data__new="red")
        .select_related("ticket")
        .order_by("id")[:500]
    )
    items = [
        webhooks.ticket_item(
            ev.ticket,
            f"#{ev.ticket.number} is red: its SLA time is up ({ev.ticket.get_tier_display()})",
            key=f"ev{ev.pk}",
        )
        for ev in events
    ]
    return webhooks.emit_many("ticket_red", items)


def _ki_link(ki: KnownIssue) -> str:
    return webhooks.absolute(reverse("escalation:known_issue", args=[ki.number]))


def _known_issues(since: dt.datetime) -> int:
    new = [
        (f"ki{ki.pk}", f"New known issue KI-{ki.number}: {ki.title}", "", _ki_link(ki))
        for ki in KnownIssue.objects.filter(created_at__gte=since).order_by("id")[:200]
    ]
    resolved = [
        (
            f"ki{ki.pk}:{int(ki.resolved_at.timestamp())}",
            f"Known issue KI-{ki.number} resolved: {ki.title}",
            "",
            _ki_link(ki),
        )
        for ki in KnownIssue.objects.filter(resolved_at__gte=since).order_by("id")[:200]
    ]
    posts = KnownIssue.objects.filter(status_posted_at__gte=since).exclude(status_post=KnownIssue.Post.NONE)
    page = webhooks.absolute(reverse("escalation:status_page"))
    posted = [
        (
            f"ki{ki.pk}:{int(ki.status_posted_at.timestamp())}",
            f"Status page: {ki.get_status_post_display()} — {ki.title}",
            ki.status_post_text,
            page,
        )
        for ki in posts.order_by("id")[:200]
    ]
    return (
        webhooks.emit_many("known_issue_new", new)
        + webhooks.emit_many("known_issue_resolved", resolved)
        + webhooks.emit_many("status_post", posted)
    )

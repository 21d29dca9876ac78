"""The knowledge base's dashboard measures (issue #18 §7): share of public answers citing an article,
one-touch-solve rate, deflections and satisfaction per tier, agent and organization. A fixed number of
queries whatever the volume."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from tickets.models import Message, MessageKind, Ticket, Visibility

from .models import Citation, Deflection, Rating

SCORES = ("good", "okay", "bad")


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def citing(since: dt.datetime) -> dict[str, Any]:
    cited = Exists(Citation.objects.filter(message=OuterRef("pk")))
    row = Message.objects.filter(
        created_at__gte=since,
        visibility=Visibility.PUBLIC,
        kind=MessageKind.REPLY,
        author_user__isnull=False,
    ).aggregate(total=Count("id"), cited=Count("id", filter=Q(cited)))
    return {**row, "share": _share(row["cited"], row["total"])}


def one_touch(since: dt.datetime) -> dict[str, Any]:
    """Resolved in the period after exactly one public answer, with no requester reply needed."""
    answers = Count(
        "messages",
        filter=Q(
            messages__visibility=Visibility.PUBLIC,
            messages__kind=MessageKind.REPLY,
            messages__author_user__isnull=False,
        ),
        distinct=True,
    )
    from_requester = Count("messages", filter=Q(messages__author_contact__isnull=False), distinct=True)
    qs = Ticket.objects.filter(resolved_at__gte=since).annotate(a=answers, r=from_requester)
    row = qs.aggregate(total=Count("id"), one=Count("id", filter=Q(a=1, r__lte=1)))
    return {**row, "share": _share(row["one"], row["total"])}


def _by(field: str, since: dt.datetime, label: str) -> list[dict[str, Any]]:
    counts = {s: Count("id", filter=Q(score=s)) for s in SCORES}
    rows = list(
        Rating.objects.filter(at__gte=since)
        .values(field, label)
        .annotate(total=Count("id"), **counts)
        .order_by("-total")[:50]
    )
    for row in rows:
        row["name"] = row.get(label) or "—"
        row["good_share"] = _share(row["good"], row["total"])
    return rows


def satisfaction(since: dt.datetime) -> dict[str, Any]:
    counts = {s: Count("id", filter=Q(score=s)) for s in SCORES}
    overall = Rating.objects.filter(at__gte=since).aggregate(total=Count("id"), **counts)
    overall["good_share"] = _share(overall["good"], overall["total"])
    return {
        "overall": overall,
        "by_tier": _by("tier", since, "tier"),
        "by_agent": _by("agent_id", since, "agent__username"),
        "by_org": _by("organization_id", since, "organization__name"),
    }


def measures(days: int = 28, now: dt.datetime | None = None) -> dict[str, Any]:
    since = (now or timezone.now()) - dt.timedelta(days=days)
    return {
        "days": days,
        "citing": citing(since),
        "one_touch": one_touch(since),
        "deflections": Deflection.objects.filter(at__gte=since).count(),
        "satisfaction": satisfaction(since),
    }

"""The knowledge base's dashboard measures (issue #18 §7): share of public answers citing an article,
one-touch-solve rate, deflections and satisfaction per tier, agent and organization. A fixed number of
queries whatever the volume."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from tickets.models import Message, MessageKind, Ticket, Tier, Visibility

from .models import Citation, Deflection, Rating

SCORES = ("good", "okay", "bad")


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def citing(since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    cited = Exists(Citation.objects.filter(message=OuterRef("pk")))
    row = Message.objects.filter(
        created_at__gte=since,
        created_at__lt=until,
        visibility=Visibility.PUBLIC,
        kind=MessageKind.REPLY,
        author_user__isnull=False,
    ).aggregate(total=Count("id"), cited=Count("id", filter=Q(cited)))
    return {**row, "share": _share(row["cited"], row["total"])}


def one_touch(since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
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
    qs = Ticket.objects.filter(resolved_at__gte=since, resolved_at__lt=until).annotate(
        a=answers, r=from_requester
    )
    row = qs.aggregate(total=Count("id"), one=Count("id", filter=Q(a=1, r__lte=1)))
    return {**row, "share": _share(row["one"], row["total"])}


def satisfaction(since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    """Ratings per tier, agent and organization, from one grouped query rolled up here."""
    counts = {s: Count("id", filter=Q(score=s)) for s in SCORES}
    rows = (
        Rating.objects.filter(at__gte=since, at__lt=until)
        .values("tier", "agent__username", "organization__name")
        .annotate(**counts)
        .order_by()
    )
    overall = dict.fromkeys(SCORES, 0)
    groups: dict[str, dict[str, dict[str, int]]] = {
        "tier": {},
        "agent__username": {},
        "organization__name": {},
    }
    for row in rows:
        for s in SCORES:
            overall[s] += row[s]
        for field, table in groups.items():
            cell = table.setdefault(row[field] or "\u2014", dict.fromkeys(SCORES, 0))
            for s in SCORES:
                cell[s] += row[s]
    return {
        "overall": _with_share(overall),
        "by_tier": _table(groups["tier"], label=_tier_label),
        "by_agent": _table(groups["agent__username"]),
        "by_org": _table(groups["organization__name"]),
    }


def _with_share(cell: dict[str, Any]) -> dict[str, Any]:
    total = sum(cell[s] for s in SCORES)
    return {**cell, "total": total, "good_share": _share(cell["good"], total)}


def _tier_label(value: str) -> str:
    return Tier(value).label if value in Tier.values else value


def _table(table: dict[str, dict[str, int]], label: Any = str) -> list[dict[str, Any]]:
    rows = [{"name": label(name), **_with_share(cell)} for name, cell in table.items()]
    return sorted(rows, key=lambda r: (-r["total"], r["name"]))[:50]


def between(since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    return {
        "citing": citing(since, until),
        "one_touch": one_touch(since, until),
        "deflections": Deflection.objects.filter(at__gte=since, at__lt=until).count(),
        "satisfaction": satisfaction(since, until),
    }


def measures(days: int = 28, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {"days": days, **between(now - dt.timedelta(days=days), now + dt.timedelta(seconds=1))}

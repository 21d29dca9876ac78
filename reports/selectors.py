"""Dashboard selectors (issue #7, DESIGN §6–§7). Every number is aggregated in the database: one query
per panel, a constant number for the whole page, whatever the number of tickets.

Panels: SLA bands now + backlog by age per tier, compliance trend from ``SlaClock`` rows, breaches this
week, first-response/resolution percentiles per priority (``reports.percentiles``), the agent load board,
broken commitments, review tags and the patterns panel (``reports.patterns``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from escalation.selectors import review_tags
from escalation.services.routing import ENGAGEMENT_REASONS
from helpdesk.permissions import STAFF_ROLES
from playbook import params
from sla.models import SlaClock
from tickets.models import (
    PAUSED_STATUSES,
    TIER_ORDER,
    UNFINISHED_STATUSES,
    Notification,
    Organization,
    SlaBand,
    Ticket,
    TicketEvent,
    Tier,
)

from .filters import DashboardFilters, local_midnight, week_start

FINAL_BANDS = (SlaBand.GREEN, SlaBand.YELLOW, SlaBand.RED)
BANDS = (*FINAL_BANDS, SlaBand.PAUSED)
AGE_BUCKETS = (
    ("lt1d", "< 1 day", 0, 1),
    ("d1_3", "1–3 days", 1, 3),
    ("d3_7", "3–7 days", 3, 7),
    ("gt7d", "> 7 days", 7, None),
)
LIST_LIMIT = 50
NUDGE_REASONS = ("stale_nudge", "holding_reply_offered")  # in-app notices written by sla.nudges


def tier_label(value: str) -> str:
    return Tier(value).label if value in Tier.values else value or "—"


@dataclass
class TierRow:
    tier: str
    label: str
    green: int = 0
    yellow: int = 0
    red: int = 0
    paused: int = 0
    unbanded: int = 0
    missed: int = 0
    ages: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.green + self.yellow + self.red + self.paused + self.unbanded


def open_by_tier(filters: DashboardFilters, now: dt.datetime) -> list[TierRow]:
    """Bands now, backlog by age and broken commitments per tier — ONE grouped query over unfinished
    tickets. Paused statuses count as "paused" whatever band is stored; a running clock uses the band the
    band job stored (the same value the queues filter on, so the click-through counts agree)."""
    paused = Q(status__in=PAUSED_STATUSES) | Q(sla_band=SlaBand.PAUSED)
    running = ~paused
    aggregates: dict[str, Any] = {
        band: Count("id", filter=running & Q(sla_band=band)) for band in FINAL_BANDS
    }
    aggregates[SlaBand.PAUSED] = Count("id", filter=paused)
    aggregates["missed"] = Count("id", filter=Q(commitment_missed=True))
    for key, _label, low, high in AGE_BUCKETS:
        cond = Q(created_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            cond &= Q(created_at__gt=now - dt.timedelta(days=high))
        aggregates[f"age_{key}"] = Count("id", filter=cond)
    aggregates["total"] = Count("id")
    # Spam (issue #16) is no one's work: out of the bands, the backlog and agent load, like every queue.
    qs = Ticket.objects.filter(status__in=UNFINISHED_STATUSES, spam_at__isnull=True, **filters.ticket_q())
    if filters.tier:
        qs = qs.filter(tier=filters.tier)
    found = {row["tier"]: row for row in qs.values("tier").annotate(**aggregates).order_by()}
    tiers = [filters.tier] if filters.tier else [str(t) for t in TIER_ORDER]
    rows = []
    for tier in tiers:
        data = found.get(tier, {})
        row = TierRow(
            tier=tier,
            label=tier_label(tier),
            **{b: data.get(b, 0) for b in BANDS},
            missed=data.get("missed", 0),
            ages={key: data.get(f"age_{key}", 0) for key, *_ in AGE_BUCKETS},
        )
        row.unbanded = data.get("total", 0) - row.green - row.yellow - row.red - row.paused
        rows.append(row)
    return rows


@dataclass
class WeekCompliance:
    week: dt.date
    green: int = 0
    yellow: int = 0
    red: int = 0
    by_tier: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.green + self.yellow + self.red

    def share(self, band: str) -> float | None:
        return round(100 * getattr(self, band) / self.total, 1) if self.total else None

    @property
    def share_green(self) -> float | None:
        return self.share(SlaBand.GREEN)

    @property
    def tier_cells(self) -> list[float | None]:
        """Green share per tier, in TIER_ORDER (the table columns)."""
        return [self.tier_green_share(str(t)) for t in TIER_ORDER]

    def tier_green_share(self, tier: str) -> float | None:
        counts = self.by_tier.get(tier)
        total = sum(counts.values()) if counts else 0
        return round(100 * counts[SlaBand.GREEN] / total, 1) if total else None


TREND_CACHE_SECONDS = 6 * 3600


def _trend_rows(qs: Any, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    rows = (
        qs.filter(stopped_at__gte=start, stopped_at__lt=end)
        .annotate(week=TruncWeek("stopped_at"))
        .values("week", "tier")
        .annotate(**{b: Count("id", filter=Q(final_band=b)) for b in FINAL_BANDS})
        .order_by()
    )
    out = []
    for row in rows:
        day = row["week"]
        out.append({**row, "week": timezone.localdate(day) if isinstance(day, dt.datetime) else day})
    return out


def compliance_trend(
    filters: DashboardFilters, now: dt.datetime | None = None, *, refresh: bool = False
) -> list[WeekCompliance]:
    """Per ISO week of the range: SLA clocks stopped green / yellow / red, overall and per tier — grouped
    by (week, tier) over ``SlaClock.stopped_at`` (covering index requested, see bench/README_dashboard.md).

    Weeks that have ended do not change any more (a clock's ``stopped_at`` is when it stopped), so their
    rows are cached for ``TREND_CACHE_SECONDS``; only the current week is read on every view. At most two
    queries: one for the closed weeks on a cache miss, one for the current week."""
    now = now or timezone.now()
    qs = SlaClock.objects.filter(final_band__in=FINAL_BANDS, **filters.ticket_q("ticket__"))
    if filters.tier:
        qs = qs.filter(tier=filters.tier)
    split = min(max(this_monday(now), filters.start), filters.end)
    rows: list[dict[str, Any]] = []
    if split > filters.start:
        key = f"reports:trend:v1:{filters.querystring()}:{filters.start.isoformat()}:{split.isoformat()}"
        closed = None if refresh else cache.get(key)
        if closed is None:
            closed = _trend_rows(qs, filters.start, split)
            cache.set(key, closed, TREND_CACHE_SECONDS)
        rows += closed
    if filters.end > split:
        rows += _trend_rows(qs, split, filters.end)
    weeks: dict[dt.date, WeekCompliance] = {}
    monday = week_start(filters.date_from)
    while monday <= filters.date_to:
        weeks[monday] = WeekCompliance(week=monday)
        monday += dt.timedelta(weeks=1)
    for row in rows:
        week = weeks.setdefault(row["week"], WeekCompliance(week=row["week"]))
        counts = week.by_tier.setdefault(row["tier"], dict.fromkeys(FINAL_BANDS, 0))
        for band in FINAL_BANDS:
            counts[band] += row[band]
            setattr(week, band, getattr(week, band) + row[band])
    return [weeks[k] for k in sorted(weeks)]


def breaches_this_week(filters: DashboardFilters, now: dt.datetime) -> list[SlaClock]:
    """Breaches since Monday: tickets red right now (still unanswered, first) and tier visits that ended
    red, newest first (two queries; the first reads the unfinished-tickets index)."""
    monday = this_monday(now)
    open_red = Ticket.objects.filter(
        status__in=UNFINISHED_STATUSES,
        sla_band=SlaBand.RED,
        sla_yellow_until__gte=monday,
        sla_yellow_until__lt=now,
        **filters.ticket_q(),
    )
    qs = SlaClock.objects.filter(
        stopped_at__gte=monday, final_band=SlaBand.RED, **filters.ticket_q("ticket__")
    )
    if filters.tier:
        open_red, qs = open_red.filter(tier=filters.tier), qs.filter(tier=filters.tier)
    clocks = [
        SlaClock(ticket=t, tier=t.tier, started_at=t.sla_yellow_until, stopped_at=None, business_seconds=0)
        for t in open_red.select_related("assignee").order_by("sla_yellow_until", "id")[:LIST_LIMIT]
    ]
    for clock in clocks:
        clock.business_hours = None  # type: ignore[attr-defined]  # still running: red since started_at
    stopped = list(
        qs.select_related("ticket", "ticket__assignee").order_by("-stopped_at")[: LIST_LIMIT - len(clocks)]
    )
    for clock in stopped:
        clock.business_hours = round(clock.business_seconds / 3600, 1)  # type: ignore[attr-defined]
    return clocks + stopped


def _staff_users() -> Any:
    groups = get_user_model().groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=STAFF_ROLES
    )
    return get_user_model().objects.filter(Q(Exists(groups)) | Q(is_superuser=True), is_active=True)


def agent_load(filters: DashboardFilters) -> list[dict[str, Any]]:
    """Unfinished owned tickets per staff member vs ``HELPDESK_WIP_LIMIT`` (002: 3), their oldest
    untouched ticket and outstanding nudges. Three queries whatever the size: staff (+ nudges subquery),
    one GROUP BY assignee over the unfinished tickets (count + oldest ``updated_at``), and the numbers of
    those oldest tickets (an OR of (assignee, updated_at) pairs on the assignee index)."""
    nudges = (
        Notification.objects.filter(
            recipient_user=OuterRef("pk"), reason__in=NUDGE_REASONS, read_at__isnull=True
        )
        .order_by()
        .values("recipient_user")
        .annotate(n=Count("id"))
        .values("n")
    )
    users = list(
        _staff_users()
        .annotate(nudges=Coalesce(Subquery(nudges, output_field=IntegerField()), 0))
        .order_by("username")
        .values("id", "username", "first_name", "last_name", "nudges")[:200]
    )
    owned = Ticket.objects.filter(
        status__in=UNFINISHED_STATUSES, assignee__isnull=False, spam_at__isnull=True, **filters.ticket_q()
    )
    if filters.tier:
        owned = owned.filter(tier=filters.tier)
    stats = {
        row["assignee"]: row
        for row in owned.values("assignee").annotate(n=Count("id"), oldest=Min("updated_at")).order_by()
    }
    wanted = [(u["id"], stats[u["id"]]["oldest"]) for u in users if u["id"] in stats]
    oldest: dict[int, int] = {}
    if wanted:
        pairs = Q()
        for user_id, at in wanted:
            pairs |= Q(assignee_id=user_id, updated_at=at)
        for user_id, number in owned.filter(pairs).order_by("number").values_list("assignee", "number"):
            oldest.setdefault(user_id, number)
    limit = params.get("wip_limit")
    for user in users:
        row = stats.get(user["id"], {})
        user.update(
            owned=row.get("n", 0),
            oldest_updated=row.get("oldest"),
            oldest_number=oldest.get(user["id"]),
            limit=limit,
            name=f"{user['first_name']} {user['last_name']}".strip() or user["username"],
        )
        user["over"] = user["owned"] > limit
    return sorted(users, key=lambda u: (-u["owned"], u["username"]))


def commitment_record(filters: DashboardFilters) -> dict[str, Any]:
    """Promises kept vs missed in the date range (000): kept = settled by a public update on time, missed =
    flagged by the commitments job (whether answered later or not). One aggregate over the audit events
    (index event_verb)."""
    qs = TicketEvent.objects.filter(
        verb__in=["commitment_settled", "commitment_missed"],
        at__gte=filters.start,
        at__lt=filters.end,
        **filters.ticket_q("ticket__"),
    )
    if filters.tier:
        qs = qs.filter(ticket__tier=filters.tier)
    counts = qs.aggregate(
        kept=Count("id", filter=Q(verb="commitment_settled", data__on_time=True)),
        missed=Count("id", filter=Q(verb="commitment_missed")),
    )
    total = counts["kept"] + counts["missed"]
    return {**counts, "total": total, "kept_share": round(100 * counts["kept"] / total) if total else None}


def broken_commitments(filters: DashboardFilters) -> list[Ticket]:
    """Unfinished tickets whose "next update by" promise was missed (000), oldest promise first."""
    qs = Ticket.objects.filter(status__in=UNFINISHED_STATUSES, commitment_missed=True, **filters.ticket_q())
    if filters.tier:
        qs = qs.filter(tier=filters.tier)
    return list(qs.select_related("assignee").order_by("commitment_due_at", "id")[:LIST_LIMIT])


def review_tagged(
    since: dt.datetime,
    until: dt.datetime | None = None,
    limit: int = LIST_LIMIT * 4,
) -> list[TicketEvent]:
    """Tickets tagged Missed Doc Review / Process Tweak in ``[since, until)`` (004 "Review Tags": the
    manager reviews them weekly) — read from the tag_added audit events (index event_verb)."""
    qs = TicketEvent.objects.filter(verb="tag_added", data__tag__in=review_tags(), at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    qs = qs.select_related("ticket", "ticket__assignee", "actor").order_by("-at", "-id")
    return list(qs[:limit])


def this_monday(now: dt.datetime) -> dt.datetime:
    """Start of the current local ISO week."""
    return local_midnight(week_start(timezone.localdate(now)))


def engagement_reasons(filters: DashboardFilters, now: dt.datetime | None = None) -> list[tuple[str, int]]:
    """Tickets sent to Engagement in the date range, by the reason asked on every send (004 "Sending to
    Engagement"): every reason listed, zeros included, then those sent without one. One grouped query over
    the audit events (index event_verb)."""
    qs = TicketEvent.objects.filter(
        verb="sent_to_engagement", at__gte=filters.start, at__lt=filters.end, **filters.ticket_q("ticket__")
    )
    if filters.tier:
        qs = qs.filter(ticket__tier=filters.tier)
    counts = dict(qs.values_list("data__reason").annotate(n=Count("id")))
    rows = [(label, counts.pop(key, 0)) for key, label in ENGAGEMENT_REASONS]
    unknown = sum(counts.values())
    if unknown:
        rows.append(("No reason given", unknown))
    return rows


ORGANIZATION_OPTIONS_SECONDS = 10  # a new organization shows in the dashboard's filter within seconds


def organization_options() -> str:
    """``<option>`` tags of the first 500 organizations by name, kept briefly in process memory."""
    from helpdesk import localcache
    from tickets.select_options import options

    return localcache.remembered(
        "reports:organization-options",
        ORGANIZATION_OPTIONS_SECONDS,
        lambda: str(options(Organization.objects.order_by("name").values_list("id", "name")[:500])),
    )

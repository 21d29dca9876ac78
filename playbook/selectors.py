"""This week's figures of the Playbook screen: how often each rule acted and how well the team followed
it. Every figure is an aggregate over an index — ``TicketEvent (verb, at)`` for this week's actions, the
tier/assignee ticket indexes for the state right now — so the page costs a fixed number of queries
whatever the number of tickets; offending tickets are listed (at most ``LINKS`` each), newest first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from escalation.selectors import review_tags
from tickets.models import UNFINISHED_STATUSES, Ticket, TicketEvent, Tier
from triage.models import EffortReview

from . import params

LINKS = 10

# Verbs counted straight from this week's events (one grouped query).
COUNTED_VERBS = (
    "triaged",
    "authorisation_requested",
    "follow_up_opened",
    "back_to_triage",
    "split",
    "reminder_sent",
    "stale_nudge",
    "holding_reply_offered",
    "commitment_set",
    "commitment_missed",
    "escalated",
    "de_escalated",
    "oncall_paged",
    "oncall_acknowledged",
    "known_issue_linked",
    "known_issue_broadcast",
    "sent_to_engagement",
    "sent_to_marketing",
    "product_notified",
    "sla_clock_started",
    "reopened_for_team",
    "effort_raised",
    "effort_decided",
)


@dataclass
class Figures:
    week_start: dt.datetime
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    links: dict[str, list[int]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> int:
        return self.counts.get(name, 0)


def week_start(now: dt.datetime) -> dt.datetime:
    """Monday 00:00 of this week in the site's time zone."""
    local = timezone.localtime(now)
    monday = local.date() - dt.timedelta(days=local.weekday())
    return timezone.make_aware(dt.datetime.combine(monday, dt.time()), local.tzinfo)


def week_figures(now: dt.datetime | None = None) -> Figures:
    now = now or timezone.now()
    fig = Figures(week_start(now))
    events = TicketEvent.objects.filter(at__gte=fig.week_start, at__lte=now)
    for verb, n in events.filter(verb__in=COUNTED_VERBS).values_list("verb").annotate(n=Count("id")):
        fig.counts[verb] = n
    _system_moves(fig, events)
    _commitments(fig, events)
    _bands(fig, events)
    _escalations(fig, events)
    _ownership(fig, events)
    _decisions(fig, events)
    _rule_runs(fig)
    _right_now(fig)
    return fig


def _rule_runs(fig: Figures) -> None:
    """Periodic rule checks that ran this week (``RuleRun``, a few rows a week)."""
    from .models import RuleRun

    handed: list[int] = []
    for rule, data in RuleRun.objects.filter(ran_at__gte=fig.week_start).values_list("rule", "data"):
        if rule == "t4_tuesday":
            fig.counts["t4_checks"] += 1
            fig.counts["t4_drafted"] += int(data.get("drafted") is True)
        elif rule == "rota_prompt":
            fig.counts["rota_prompts"] += 1
        elif rule == "rota_handback":
            handed += data.get("tickets", [])
    fig.counts["rota_handed_back"] = len(handed)
    fig.links["rota_handed_back"] = handed[-LINKS:]


def _decisions(fig: Figures, events: Any) -> None:
    """Approvals to T2 with the transition comment, and Engagement sends by reason."""
    fig.counts["t2_transition"] = events.filter(verb="triaged", data__transition_comment=True).count()
    for reason, n in (
        events.filter(verb="sent_to_engagement").values_list("data__reason").annotate(n=Count("id"))
    ):
        fig.counts[f"engagement:{reason or 'none'}"] += n


def _system_moves(fig: Figures, events: Any) -> None:
    """Status changes the timers made (no actor): auto-resolve, auto-close, Waiting/Hold back to Open."""
    rows = (
        events.filter(verb="status_changed", actor__isnull=True)
        .values_list("data__old", "data__new")
        .annotate(n=Count("id"))
    )
    names = {
        ("pending", "resolved"): "auto_resolved",
        ("resolved", "closed"): "auto_closed",
        ("waiting", "open"): "waiting_reopened",
        ("hold", "open"): "hold_expired",
    }
    for old, new, n in rows:
        if (old, new) in names:
            fig.counts[names[(old, new)]] += n


def _commitments(fig: Figures, events: Any) -> None:
    for on_time, n in (
        events.filter(verb="commitment_settled").values_list("data__on_time").annotate(n=Count("id"))
    ):
        fig.counts["commitments_kept" if on_time is True else "commitments_late"] += n
    fig.links["commitment_missed"] = _numbers(events.filter(verb="commitment_missed"))


def _bands(fig: Figures, events: Any) -> None:
    bands = events.filter(verb="sla_band_changed")
    for band, n in bands.values_list("data__new").annotate(n=Count("id")):
        fig.counts[f"sla_{band}"] += n
    fig.links["sla_red"] = _numbers(bands.filter(data__new="red"))


def _escalations(fig: Figures, events: Any) -> None:
    silent = events.filter(verb="escalated", data__transition_comment=False)
    fig.counts["escalated_without_comment"] = silent.count()
    fig.links["escalated_without_comment"] = _numbers(silent)
    fig.links["oncall_paged"] = _numbers(events.filter(verb="oncall_paged"))
    to_oncall = events.filter(verb="escalated", data__to=Tier.ONCALL)
    for in_hours, n in to_oncall.values_list("data__working_hours").annotate(n=Count("id")):
        fig.counts["oncall_confirmed" if in_hours is True else "oncall_after_hours"] += n
    review = events.filter(verb="tag_added", data__tag__in=review_tags())
    fig.counts["review_tagged"] = review.count()
    fig.links["review_tagged"] = _numbers(review)


def _ownership(fig: Figures, events: Any) -> None:
    nudged = events.filter(verb="stale_nudge")
    fig.counts["stale_tickets"] = nudged.values("ticket_id").distinct().count()
    fig.links["stale_nudge"] = _numbers(nudged)


def _right_now(fig: Figures) -> None:
    """Owned unfinished tickets per person (WIP) and tickets waiting for triage, read off the indexes."""
    limit = params.get("wip_limit")
    owned = (
        Ticket.objects.filter(assignee__isnull=False, status__in=UNFINISHED_STATUSES)
        .values_list("assignee_id")
        .annotate(n=Count("id"))
    )
    loads = [n for _a, n in owned]
    fig.counts["owned_active"] = sum(loads)
    fig.counts["over_wip"] = sum(1 for n in loads if n > limit)
    fig.counts["awaiting_triage"] = Ticket.objects.filter(
        Q(tier=Tier.TRIAGE), status__in=UNFINISHED_STATUSES
    ).count()
    awaiting = list(
        EffortReview.objects.filter(decided_at__isnull=True)
        .order_by("-raised_at")
        .values_list("ticket__number", flat=True)[:200]
    )
    fig.counts["effort_awaiting"] = len(awaiting)
    fig.links["effort_awaiting"] = awaiting[:LINKS]
    owned_total = fig.counts["owned_active"]
    stale = min(fig.counts["stale_tickets"], owned_total)
    fig.counts["updated_daily_pct"] = round(100 * (owned_total - stale) / owned_total) if owned_total else 100


def _numbers(events: Any) -> list[int]:
    """Ticket numbers of the newest ``LINKS`` events of a filtered event set."""
    return list(events.order_by("-at").values_list("ticket__number", flat=True)[:LINKS])


def recent_changes(limit: int = 20) -> list[Any]:
    from .models import PlaybookChange

    return list(PlaybookChange.objects.select_related("changed_by")[:limit])


def sla_table() -> list[Any]:
    """The SLA policies, tier then priority (a handful of rows)."""
    from sla.models import SlaPolicy

    return list(SlaPolicy.objects.select_related("calendar", "lead").order_by("tier", "priority"))

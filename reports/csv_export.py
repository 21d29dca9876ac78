"""CSV shapes of the dashboard and handover tables. Each table = a loader (one selector call) and a row
formatter, so an export runs only the queries of the table asked for."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from io import StringIO
from typing import Any

from django.utils import timezone

from tickets.models import TIER_ORDER, SlaBand

from . import handover, patterns, percentiles, selectors
from .filters import DashboardFilters, Week

Table = tuple[list[str], Iterable[list[Any]]]


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _user(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def bands_table(rows: list[selectors.TierRow]) -> Table:
    return (
        ["Tier", "Green", "Yellow", "Red", "Paused", "No band", "Total"],
        [[r.label, r.green, r.yellow, r.red, r.paused, r.unbanded, r.total] for r in rows],
    )


def backlog_table(rows: list[selectors.TierRow]) -> Table:
    return (
        ["Tier", *[label for _k, label, *_ in selectors.AGE_BUCKETS], "Broken commitments"],
        [[r.label, *[r.ages[k] for k, *_ in selectors.AGE_BUCKETS], r.missed] for r in rows],
    )


def compliance_table(weeks: list[selectors.WeekCompliance]) -> Table:
    tiers = [str(t) for t in TIER_ORDER]
    header = [
        "Week of",
        "Green",
        "Yellow",
        "Red",
        "Green %",
        *[f"{selectors.tier_label(t)} green %" for t in tiers],
    ]
    return header, [
        [
            w.week.isoformat(),
            w.green,
            w.yellow,
            w.red,
            _pct(w.share(SlaBand.GREEN)),
            *[_pct(w.tier_green_share(t)) for t in tiers],
        ]
        for w in weeks
    ]


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def times_table(rows: list[percentiles.PriorityTimes]) -> Table:
    header = [
        "Priority",
        "Responded",
        "First response p50 (s)",
        "First response p90 (s)",
        "Resolved",
        "Resolution p50 (s)",
        "Resolution p90 (s)",
    ]

    def sec(d: dict[str, float | None] | None, key: str) -> str:
        value = (d or {}).get(key)
        return "" if value is None else str(round(value))

    return header, [
        [
            r.label,
            r.responded,
            sec(r.first_response, "p50"),
            sec(r.first_response, "p90"),
            r.resolved,
            sec(r.resolution, "p50"),
            sec(r.resolution, "p90"),
        ]
        for r in rows
    ]


def load_table(rows: list[dict[str, Any]]) -> Table:
    return (
        [
            "Agent",
            "Username",
            "Owned unfinished",
            "WIP limit",
            "Over limit",
            "Oldest untouched ticket",
            "Untouched since",
            "Nudges outstanding",
        ],
        [
            [
                r["name"],
                r["username"],
                r["owned"],
                r["limit"],
                "yes" if r["over"] else "no",
                r["oldest_number"] or "",
                _when(r["oldest_updated"]),
                r["nudges"],
            ]
            for r in rows
        ],
    )


def commitments_table(tickets: list[Any]) -> Table:
    return (
        ["Ticket", "Subject", "Tier", "Owner", "Update was due"],
        [
            [t.number, t.subject, selectors.tier_label(t.tier), _user(t.assignee), _when(t.commitment_due_at)]
            for t in tickets
        ],
    )


def breaches_table(clocks: list[Any]) -> Table:
    return (
        [
            "Ticket",
            "Subject",
            "Tier",
            "Started (red since, when still red)",
            "Stopped",
            "Business hours used",
        ],
        [
            [
                c.ticket.number,
                c.ticket.subject,
                selectors.tier_label(c.tier),
                _when(c.started_at),
                _when(c.stopped_at) if c.stopped_at else "still red",
                round(c.business_seconds / 3600, 2) if c.stopped_at else "",
            ]
            for c in clocks
        ],
    )


def review_table(events: list[Any]) -> Table:
    return (
        ["Ticket", "Subject", "Tag", "Tagged at", "Tagged by", "Owner"],
        [
            [
                e.ticket.number,
                e.ticket.subject,
                e.data.get("tag", ""),
                _when(e.at),
                _user(e.actor),
                _user(e.ticket.assignee),
            ]
            for e in events
        ],
    )


def patterns_table(found: list[patterns.Pattern]) -> Table:
    return (
        ["Source", "Name", "Tickets this week", "Suggestion"],
        [[p.source, p.name, p.tickets, p.suggestion] for p in found],
    )


def engagement_table(rows: list[tuple[str, int]]) -> Table:
    return (["Reason", "Tickets sent to Engagement"], [[label, n] for label, n in rows])


def _review_since(now: dt.datetime) -> list[Any]:
    return selectors.review_tagged(now - dt.timedelta(days=7))


DASHBOARD_TABLES: dict[str, tuple[Callable[[DashboardFilters, dt.datetime], Any], Callable[[Any], Table]]] = {
    "bands": (selectors.open_by_tier, bands_table),
    "backlog": (selectors.open_by_tier, backlog_table),
    "compliance": (selectors.compliance_trend, compliance_table),
    "times": (lambda f, now: percentiles.response_times(f)[0], times_table),
    "load": (lambda f, now: selectors.agent_load(f), load_table),
    "commitments": (lambda f, now: selectors.broken_commitments(f), commitments_table),
    "breaches": (selectors.breaches_this_week, breaches_table),
    "review": (lambda f, now: _review_since(now), review_table),
    "patterns": (patterns.patterns, patterns_table),
    "engagement": (selectors.engagement_reasons, engagement_table),
}


def escalations_table(events: list[Any]) -> Table:
    return (
        ["When", "Ticket", "Subject", "Direction", "From", "To", "By"],
        [
            [
                _when(e.at),
                e.ticket.number,
                e.ticket.subject,
                "up" if e.verb == "escalated" else "down",
                selectors.tier_label(str(e.data.get("from", ""))),
                selectors.tier_label(str(e.data.get("to", ""))),
                _user(e.actor) or "system",
            ]
            for e in events
        ],
    )


def still_open_table(tickets: list[Any]) -> Table:
    return (
        [
            "Ticket",
            "Subject",
            "Tier at week end",
            "Status at week end",
            "Owner at week end",
            "Organization",
            "Opened",
        ],
        [
            [
                t.number,
                t.subject,
                selectors.tier_label(t.tier),
                t.get_status_display(),
                _user(t.assignee),
                t.organization.name if t.organization else "",
                _when(t.created_at),
            ]
            for t in tickets
        ],
    )


def known_issues_table(changes: list[dict[str, Any]]) -> Table:
    return (
        ["Known issue", "Title", "Status", "Change this week"],
        [
            [
                c["issue"].number,
                c["issue"].title,
                getattr(c["issue"], "get_status_display", lambda: "")(),
                c["change"],
            ]
            for c in changes
        ],
    )


HANDOVER_TABLES: dict[str, tuple[Callable[[Week], Any], Callable[[Any], Table]]] = {
    "escalations": (handover.escalation_events, escalations_table),
    "open": (handover.still_open, still_open_table),
    "review": (lambda w: selectors.review_tagged(w.start, w.end), review_table),
    "missed": (handover.missed_commitments, commitments_table),
    "known_issues": (handover.known_issue_changes, known_issues_table),
}


def to_csv(table: Table) -> str:
    header, rows = table
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        # Spreadsheet formula injection: a cell starting with = + - @ is prefixed with a quote.
        writer.writerow([f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
    return buffer.getvalue()

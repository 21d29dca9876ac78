"""First-response and resolution time percentiles per priority (003, issue #7).

PostgreSQL: ``percentile_cont`` ordered-set aggregates — one grouped query, exact. Other databases
(SQLite in development): the newest ``SAMPLE_LIMIT`` tickets of the range are read (one bounded query) and
the same linear-interpolation percentile is computed in Python; the result is flagged ``approximate``
so the screen can say so.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func

from tickets.models import Priority, Ticket

from .filters import DashboardFilters

SAMPLE_LIMIT = 5000
CACHE_SECONDS = 300
FRACTIONS = {"p50": 0.5, "p90": 0.9}


class PercentilesCont(Aggregate):
    """``PERCENTILE_CONT(ARRAY[f1, f2]) WITHIN GROUP (ORDER BY expr)`` (PostgreSQL ordered-set aggregate):
    several percentiles from ONE sort of the group, returned as an array."""

    function = "PERCENTILE_CONT"
    name = "PercentilesCont"
    template = (
        "%(function)s(ARRAY[%(fractions)s]::double precision[]) WITHIN GROUP (ORDER BY %(expressions)s)"
    )

    def __init__(self, expression: Any, fractions: list[float], **extra: Any) -> None:
        if not fractions or not all(0 <= f <= 1 for f in fractions):
            raise ValueError("fractions must be within [0, 1]")
        from django.contrib.postgres.fields import ArrayField

        super().__init__(
            expression,
            fractions=", ".join(repr(float(f)) for f in fractions),
            output_field=ArrayField(FloatField()),
            **extra,
        )


class EpochSeconds(Func):
    """Seconds of an interval expression (``end - start`` of two timestamps)."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s))::double precision"
    output_field = FloatField()


@dataclass
class PriorityTimes:
    priority: str
    label: str
    responded: int = 0
    resolved: int = 0
    first_response: dict[str, float | None] | None = None
    resolution: dict[str, float | None] | None = None

    @property
    def cells(self) -> list[str]:
        """p50/p90 first response, then p50/p90 resolution, human-readable."""
        first, res = self.first_response or {}, self.resolution or {}
        return [
            humanize_seconds(first.get("p50")),
            humanize_seconds(first.get("p90")),
            humanize_seconds(res.get("p50")),
            humanize_seconds(res.get("p90")),
        ]


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks — the definition PostgreSQL's percentile_cont uses."""
    if not sorted_values:
        return None
    pos = fraction * (len(sorted_values) - 1)
    low, high = math.floor(pos), math.ceil(pos)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def _base(filters: DashboardFilters) -> Any:
    qs = Ticket.objects.filter(
        created_at__gte=filters.start, created_at__lt=filters.end, **filters.ticket_q()
    )
    return qs.filter(tier=filters.tier) if filters.tier else qs


def response_times(filters: DashboardFilters, *, refresh: bool = False) -> tuple[list[PriorityTimes], bool]:
    """Per priority: p50/p90 seconds from opening to first response and to resolution, for tickets
    opened in the range. Returns (rows, approximate). Weeks of data move slowly, so the result is
    cached for ``CACHE_SECONDS`` per filter set (the sort behind a percentile is the costliest query
    of the dashboard: ~80 ms for 8 weeks at 1M tickets, see bench/README_dashboard.md). ``refresh``
    recomputes and re-caches (the warming job)."""
    approximate = connection.vendor != "postgresql"
    key = f"reports:times:v1:{filters.querystring()}"
    found = None if refresh else cache.get(key)
    if found is None:
        found = _sampled(filters) if approximate else _postgres(filters)
        cache.set(key, found, CACHE_SECONDS)
    rows = []
    for value, label in Priority.choices:
        rows.append(found.get(value) or PriorityTimes(priority=value, label=str(label)))
    return rows, approximate


def _postgres(filters: DashboardFilters) -> dict[str, PriorityTimes]:
    first = EpochSeconds(F("first_response_at") - F("created_at"))
    resolve = EpochSeconds(F("resolved_at") - F("created_at"))
    keys, fractions = list(FRACTIONS), list(FRACTIONS.values())
    found = {}
    rows = (
        _base(filters)
        .values("priority")
        .annotate(
            responded=Count("first_response_at"),
            resolved_n=Count("resolved_at"),
            fr=PercentilesCont(first, fractions),
            res=PercentilesCont(resolve, fractions),
        )
        .order_by()
    )
    for row in rows:
        found[row["priority"]] = PriorityTimes(
            priority=row["priority"],
            label=_label(row["priority"]),
            responded=row["responded"],
            resolved=row["resolved_n"],
            first_response=dict(zip(keys, row["fr"] or [None] * len(keys), strict=True)),
            resolution=dict(zip(keys, row["res"] or [None] * len(keys), strict=True)),
        )
    return found


def _sampled(filters: DashboardFilters) -> dict[str, PriorityTimes]:
    sample = (
        _base(filters)
        .order_by("-created_at")
        .values_list("priority", "created_at", "first_response_at", "resolved_at")[:SAMPLE_LIMIT]
    )
    firsts: dict[str, list[float]] = {}
    resolutions: dict[str, list[float]] = {}
    for priority, created, first, resolved in sample:
        firsts.setdefault(priority, [])
        resolutions.setdefault(priority, [])
        if first is not None:
            firsts[priority].append(_seconds(first - created))
        if resolved is not None:
            resolutions[priority].append(_seconds(resolved - created))
    found = {}
    for priority in firsts:
        fr, res = sorted(firsts[priority]), sorted(resolutions[priority])
        found[priority] = PriorityTimes(
            priority=priority,
            label=_label(priority),
            responded=len(fr),
            resolved=len(res),
            first_response={k: percentile(fr, f) for k, f in FRACTIONS.items()},
            resolution={k: percentile(res, f) for k, f in FRACTIONS.items()},
        )
    return found


def _seconds(delta: dt.timedelta) -> float:
    return delta.total_seconds()


def _label(priority: str) -> str:
    return str(Priority(priority).label) if priority in Priority.values else priority


def humanize_seconds(value: float | None) -> str:
    """``5400`` → ``"1h 30m"``; ``None`` → ``"—"``."""
    if value is None:
        return "—"
    minutes = int(round(value / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"

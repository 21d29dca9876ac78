"""Reads of the sla app for screens and reports.

First-response and resolution times (003) are WALL-CLOCK durations from the ticket's own timestamps
(``first_response_at - created_at``, ``resolved_at - created_at``): that is what the requester lived
through, and it is one indexed aggregate. Business-time compliance per tier comes from ``SlaClock``
rows (``business_seconds`` / ``final_band``) instead."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from tickets.models import Priority, Ticket

from .commitments import quick_picks
from .models import SlaClock, TicketSlaState


def commitment_panel(ticket: Ticket, now: dt.datetime | None = None) -> dict[str, Any]:
    """Quick picks and the offered holding reply for the workspace panel (3 queries)."""
    state = TicketSlaState.objects.filter(ticket=ticket).only("holding_reply").first()
    return {"picks": quick_picks(ticket, now), "holding_reply": state.holding_reply if state else ""}


def clocks_for(ticket: Ticket) -> QuerySet[SlaClock]:
    """A ticket's tier visits, oldest first (one query)."""
    return SlaClock.objects.filter(ticket=ticket).order_by("started_at", "id")


_MEDIAN_SQL = """
SELECT priority,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (first_response_at - created_at)))
           FILTER (WHERE first_response_at IS NOT NULL),
       COUNT(first_response_at),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (resolved_at - created_at)))
           FILTER (WHERE resolved_at IS NOT NULL),
       COUNT(resolved_at)
FROM tickets_ticket
WHERE created_at >= %s AND created_at < %s
GROUP BY priority
"""


def response_medians(since: dt.datetime, until: dt.datetime) -> dict[str, dict[str, float | int | None]]:
    """Per priority, for tickets created in [since, until): median first-response and resolution time in
    wall-clock seconds, and how many tickets each median is over. One query on PostgreSQL."""
    result: dict[str, dict[str, float | int | None]] = {
        p: {"first_response": None, "first_response_n": 0, "resolution": None, "resolution_n": 0}
        for p in Priority.values
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(_MEDIAN_SQL, [since, until])
            for priority, fr, fr_n, res, res_n in cur.fetchall():
                if priority in result:
                    result[priority] = {
                        "first_response": fr,
                        "first_response_n": fr_n,
                        "resolution": res,
                        "resolution_n": res_n,
                    }
        return result
    # SQLite (development): no percentile function; fetch the two timestamps and compute in Python.
    rows = Ticket.objects.filter(created_at__gte=since, created_at__lt=until).values_list(
        "priority", "created_at", "first_response_at", "resolved_at"
    )
    samples: dict[str, tuple[list[float], list[float]]] = {p: ([], []) for p in Priority.values}
    for priority, created, first, resolved in rows:
        if priority not in samples:
            continue
        if first:
            samples[priority][0].append((first - created).total_seconds())
        if resolved:
            samples[priority][1].append((resolved - created).total_seconds())
    for priority, (fr, res) in samples.items():
        result[priority] = {
            "first_response": statistics.median(fr) if fr else None,
            "first_response_n": len(fr),
            "resolution": statistics.median(res) if res else None,
            "resolution_n": len(res),
        }
    return result

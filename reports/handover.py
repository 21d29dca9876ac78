"""The weekly "Changing of the Guard" handover report (004, DESIGN §5): what happened in one ISO week.

Read from the audit trail and ticket columns only (no escalation imports at module level: that app is
built concurrently; its KnownIssue model is used when present). A constant number of queries:
escalation counts, escalation list, tier-move counts, known-issue changes, hotfix/partner notes,
still-open counts per tier, still-open list, review tags, missed commitments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.dateparse import parse_datetime

from escalation.models import KnownIssue
from tickets.models import (
    TIER_ORDER,
    UNFINISHED_STATUSES,
    Message,
    Status,
    Ticket,
    TicketEvent,
    Visibility,
)

from .filters import Week
from .selectors import LIST_LIMIT, review_tagged, tier_label

ESCALATION_VERBS = ("escalated", "de_escalated")
NOTE_KEYWORDS = ("hotfix", "on-call fix", "partner ticket")  # 004: "Record hotfixes", partner tickets
OPEN_LIMIT = 500
FINISHED_STATUSES = (Status.RESOLVED, Status.CLOSED)


@dataclass
class EscalationCount:
    tier: str
    label: str
    up: int = 0
    down: int = 0


@dataclass
class Handover:
    week: Week
    escalation_counts: list[EscalationCount]
    escalations: list[TicketEvent]
    tier_moves: list[dict[str, Any]]
    known_issues: list[dict[str, Any]]
    notes: list[Message]
    open_counts: list[dict[str, Any]]
    still_open: list[Ticket]
    review: list[TicketEvent]
    missed: list[Ticket]
    totals: dict[str, int] = field(default_factory=dict)


def _rank(tier: Any) -> int:
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else -1


def escalation_counts(week: Week) -> list[EscalationCount]:
    """Escalations up / down of the week per target tier (events written by the escalation app)."""
    rows = (
        TicketEvent.objects.filter(verb__in=ESCALATION_VERBS, at__gte=week.start, at__lt=week.end)
        .values("verb", "data__to")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {str(t): EscalationCount(str(t), tier_label(str(t))) for t in TIER_ORDER}
    for row in rows:
        tier = str(row["data__to"] or "")
        entry = counts.setdefault(tier, EscalationCount(tier, tier_label(tier)))
        if row["verb"] == "escalated":
            entry.up += row["n"]
        else:
            entry.down += row["n"]
    return [c for c in counts.values() if c.up or c.down]


def escalation_events(week: Week) -> list[TicketEvent]:
    return list(
        TicketEvent.objects.filter(verb__in=ESCALATION_VERBS, at__gte=week.start, at__lt=week.end)
        .select_related("ticket", "actor")
        .order_by("at", "id")[: LIST_LIMIT * 4]
    )


def tier_moves(week: Week) -> list[dict[str, Any]]:
    """Every tier change of the week from the core audit trail (verb tier_changed {old, new}), grouped by
    move, with its direction; includes triage approvals, which are not escalations."""
    rows = (
        TicketEvent.objects.filter(verb="tier_changed", at__gte=week.start, at__lt=week.end)
        .values("data__old", "data__new")
        .annotate(n=Count("id"))
        .order_by()
    )
    moves = []
    for row in rows:
        old, new = row["data__old"], row["data__new"]
        direction = "triaged" if old == "triage" else ("up" if _rank(new) > _rank(old) else "down")
        moves.append(
            {
                "from": tier_label(str(old or "")),
                "to": tier_label(str(new or "")),
                "direction": direction,
                "count": row["n"],
            }
        )
    return sorted(moves, key=lambda m: (-m["count"], m["from"], m["to"]))


def _in_week(week: Week, name: str) -> Q:
    return Q(**{f"{name}__gte": week.start, f"{name}__lt": week.end})


def known_issue_changes(week: Week) -> list[dict[str, Any]]:
    """Known issues opened / changed / resolved in the week (004: "Review known issues for week")."""
    changed = _in_week(week, "created_at") | _in_week(week, "updated_at") | _in_week(week, "resolved_at")
    issues = list(KnownIssue.objects.filter(changed).order_by("number")[: LIST_LIMIT * 2])
    changes = []
    for issue in issues:
        if issue.resolved_at and week.start <= issue.resolved_at < week.end:
            change = "resolved"
        elif week.start <= issue.created_at < week.end:
            change = "opened"
        else:
            change = "changed"
        changes.append({"issue": issue, "change": change})
    return changes


def hotfix_notes(week: Week) -> list[Message]:
    """Internal notes of the week that mention a hotfix or a partner ticket (004 On-call log)."""
    keywords = Q()
    for word in NOTE_KEYWORDS:
        keywords |= Q(body__icontains=word)
    return list(
        Message.objects.filter(
            keywords, visibility=Visibility.INTERNAL, created_at__gte=week.start, created_at__lt=week.end
        )
        .select_related("ticket", "author_user")
        .order_by("created_at", "id")[:LIST_LIMIT]
    )


def _open_at_week_end(week: Week) -> Any:
    """Tickets opened before the shift change and not finished when it happened: unfinished now, or
    resolved/closed only after the week ended. ``updated_at >= end`` is implied by a later resolution and
    lets both branches use the (status, updated_at) index instead of a scan of every finished ticket."""
    finished_later = Q(status__in=FINISHED_STATUSES, updated_at__gte=week.end) & (
        Q(resolved_at__gte=week.end) | Q(resolved_at__isnull=True, closed_at__gte=week.end)
    )
    return Ticket.objects.filter(Q(status__in=UNFINISHED_STATUSES) | finished_later, created_at__lt=week.end)


def open_counts(week: Week) -> list[dict[str, Any]]:
    grouped = _open_at_week_end(week).values("tier").annotate(n=Count("id")).order_by()
    rows = {r["tier"]: r["n"] for r in grouped}
    return [
        {"tier": str(t), "label": tier_label(str(t)), "count": rows.get(str(t), 0)}
        for t in TIER_ORDER
        if rows.get(str(t))
    ]


def still_open(week: Week) -> list[Ticket]:
    """The tickets themselves as they were at the shift change (status, tier, owner), by tier then age
    (capped; the counts are exact)."""
    tickets = list(
        _open_at_week_end(week)
        .select_related("assignee", "organization")
        .order_by("created_at", "id")[:OPEN_LIMIT]
    )
    rewind(tickets, week.end)
    return sorted(tickets, key=lambda t: (_rank(t.tier), t.created_at))


REWOUND = {"status_changed": "status", "tier_changed": "tier", "assignee_changed": "assignee_id"}


def rewind(tickets: list[Ticket], at: Any) -> None:
    """Set each ticket's status, tier and owner to what they were at ``at``: the first change of a field
    after ``at`` records the value it had then (its ``old``); no later change means it is unchanged since.
    Two queries whatever the number of tickets (their later events, then the owners they had)."""
    if not tickets:
        return
    first_after: dict[tuple[int, str], dict] = {}
    events = (
        TicketEvent.objects.filter(ticket_id__in=[t.pk for t in tickets], verb__in=list(REWOUND), at__gte=at)
        .order_by("at", "id")
        .values_list("ticket_id", "verb", "data")
    )
    for ticket_id, verb, data in events:
        if isinstance(data, dict) and "old" in data:
            first_after.setdefault((ticket_id, verb), data)
    owner_ids = {d["old"] for (_t, verb), d in first_after.items() if verb == "assignee_changed" and d["old"]}
    owners = get_user_model().objects.in_bulk(owner_ids) if owner_ids else {}
    for t in tickets:
        for verb, attribute in REWOUND.items():
            data = first_after.get((t.pk, verb))
            if data is None:
                continue
            if verb == "assignee_changed":
                t.assignee = owners.get(data["old"])
            else:
                setattr(t, attribute, data["old"])


def missed_commitments(week: Week) -> list[Ticket]:
    """Promises ("next update by", 000) missed during the week — from the ``commitment_missed`` events, so a
    promise missed and answered later still shows (index event_verb); each with the date it was due."""
    events = (
        TicketEvent.objects.filter(verb="commitment_missed", at__gte=week.start, at__lt=week.end)
        .select_related("ticket", "ticket__assignee")
        .order_by("at", "id")[:LIST_LIMIT]
    )
    tickets = []
    for e in events:
        ticket = e.ticket
        due = parse_datetime(str((e.data or {}).get("due_at") or ""))
        if due is not None:
            ticket.commitment_due_at = due
        tickets.append(ticket)
    return tickets


def handover(week: Week) -> Handover:
    report = Handover(
        week=week,
        escalation_counts=escalation_counts(week),
        escalations=escalation_events(week),
        tier_moves=tier_moves(week),
        known_issues=known_issue_changes(week),
        notes=hotfix_notes(week),
        open_counts=open_counts(week),
        still_open=still_open(week),
        review=review_tagged(week.start, week.end),
        missed=missed_commitments(week),
    )
    report.totals = {
        "up": sum(c.up for c in report.escalation_counts),
        "down": sum(c.down for c in report.escalation_counts),
        "open": sum(c["count"] for c in report.open_counts),
    }
    return report

"""Reads: the tickets related to one ticket, as its workspace shows them — the requester's other open
tickets and last contact, the likely duplicates, the linked tickets. Each is one query, compiled once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from helpdesk import prepared

from .models import UNFINISHED_STATUSES, Status, Ticket


@dataclass
class RequesterCard:
    """What the workspace shows about the requester besides their name: their other open tickets and
    when they last wrote to us (one query each)."""

    other_open: list[dict[str, Any]]
    other_open_count: int
    last_contact: dt.datetime | None


def requester_card(ticket: Ticket, limit: int = 5) -> RequesterCard:
    """The requester's other open tickets and when they last wrote (two queries, compiled once)."""
    values = {"requester": ticket.requester_id, "ticket": ticket.pk}
    others = prepared.run(("tickets.requester_others", limit), lambda slot: _others(slot, limit), values)
    labels = dict(Status.choices)
    for other in others:
        other["status_label"] = labels.get(other["status"], other["status"])
    found = prepared.run(("tickets.requester_last",), _last_contact, values)
    last = found[0] if found else {"last": None, "first": None}
    return RequesterCard(
        other_open=others[:limit],
        other_open_count=len(others),
        last_contact=last["last"] or last["first"],
    )


def _others(slot: prepared.Slots, limit: int) -> QuerySet:
    return (
        Ticket.objects.filter(requester_id=slot("requester"), status__in=UNFINISHED_STATUSES)
        .exclude(pk=slot("ticket"))
        .order_by("-updated_at")
        .values("number", "subject", "status")[: limit + 1]
    )


def _last_contact(slot: prepared.Slots) -> QuerySet:
    return (
        Ticket.objects.filter(requester_id=slot("requester"))
        .order_by()
        .values("requester_id")
        .annotate(last=Max("last_requester_reply_at"), first=Max("created_at"))
    )


DUPLICATE_DAYS = 14
DUPLICATE_CAP = 5
DUPLICATE_SCAN = 300  # candidates read (newest first) before the look-alike scoring


def likely_duplicates(ticket: Any, now: dt.datetime | None = None, cap: int = DUPLICATE_CAP) -> list[dict]:
    """Tickets that may be the same request (issue #16): same requester or organization, created in the
    last 14 days, not merged, spam or closed (a closed ticket cannot be merged into), with a look-alike
    subject; best first, at most ``cap``. One query (compiled once per shape)."""
    from .lookalike import most_alike, words

    now = now or timezone.now()
    values = {"requester": ticket.requester_id, "org": ticket.organization_id or 0, "ticket": ticket.pk}
    values["since"] = now - dt.timedelta(days=DUPLICATE_DAYS)
    shape = ("tickets.likely_duplicates", bool(ticket.organization_id))
    candidates = prepared.run(shape, lambda slot: _candidates(slot, bool(ticket.organization_id)), values)
    by_id = {c["id"]: c for c in candidates}
    best = most_alike(ticket.subject, ((c["id"], words(c["subject"])) for c in candidates), limit=cap)
    return [by_id[pk] for pk in best]


def _candidates(slot: prepared.Slots, with_org: bool) -> QuerySet:
    from django.db.models import Q

    same = Q(requester_id=slot("requester"))
    if with_org:
        same |= Q(organization_id=slot("org"))
    return (
        Ticket.objects.filter(same, created_at__gte=slot("since"))
        .filter(merged_into__isnull=True, spam_at__isnull=True)
        .exclude(pk=slot("ticket"))
        .exclude(status=Status.CLOSED)
        .order_by("-id")
        .values("id", "number", "subject", "status", "created_at")[:DUPLICATE_SCAN]
    )


@dataclass(frozen=True)
class LinkRow:
    link_id: int
    relation: str  # what the other ticket is to this one: related / child / parent
    other: Ticket


def links_of(ticket: Ticket) -> list[LinkRow]:
    """The ticket's links with each other ticket's number, subject and status (one query)."""
    from django.db.models import Q

    from .models import LinkKind, TicketLink

    links = (
        TicketLink.objects.filter(Q(from_ticket=ticket) | Q(to_ticket=ticket))
        .select_related("from_ticket", "to_ticket")
        .only(
            "kind",
            "from_ticket__number",
            "from_ticket__subject",
            "from_ticket__status",
            "to_ticket__number",
            "to_ticket__subject",
            "to_ticket__status",
        )
        .order_by("id")
    )
    rows = []
    for link in links:
        outgoing = link.from_ticket_id == ticket.pk
        other = link.to_ticket if outgoing else link.from_ticket
        relation = "related" if link.kind == LinkKind.RELATED else ("child" if outgoing else "parent")
        rows.append(LinkRow(link.pk, relation, other))
    order = {"parent": 0, "child": 1, "related": 2}
    return sorted(rows, key=lambda r: (order[r.relation], r.other.number))

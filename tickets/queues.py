"""Queues for the agent screens (issue #3 §1): which tickets a queue holds, the filters, the sort orders
and keyset (cursor) pagination. Reads only; the view turns a request into a ``QueueQuery``.

Keyset pagination: a page is "the next N rows after the last row shown" on the sort key + id, so page
1,000 costs the same as page 1. The cursor is signed: a tampered cursor is refused with a message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core import signing
from django.db import connection
from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils.dateparse import parse_datetime

from helpdesk import prepared

from .models import (
    ACTIVE_STATUSES,
    SUPPORT_TEAM,
    UNFINISHED_STATUSES,
    Message,
    Priority,
    Status,
    Team,
    Ticket,
    TicketSeen,
    Tier,
)
from .rows import QueueRow

PAGE_SIZE = 50
CURSOR_SALT = "tickets.queue.cursor"
QUEUE_TIERS = [Tier.T1, Tier.T2, Tier.T3, Tier.T4, Tier.T5, Tier.ONCALL]


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    filter: Q


def queue_list(teams: list[Team]) -> list[Queue]:
    """Every queue, in the order the side bar shows them."""
    queues = [
        Queue("all", "All open", Q()),
        Queue("unassigned", "Unassigned", Q(assignee__isnull=True) & ~Q(tier=Tier.TRIAGE)),
    ]
    # A tier queue holds the support team's tickets: one handed to another team (Engagement, Account
    # management …) is that team's now and shows in its own queue, not in the tier's.
    support = Q(team__isnull=True) | Q(team_id__in=[t.pk for t in teams if t.slug == SUPPORT_TEAM])
    queues += [Queue(str(t.value), t.label, Q(tier=t) & support) for t in QUEUE_TIERS]
    queues += [Queue(f"team-{t.slug}", t.name, Q(team_id=t.pk)) for t in teams]
    return queues


def find_queue(key: str, teams: list[Team]) -> Queue | None:
    return next((q for q in queue_list(teams) if q.key == key), None)


# --- sort orders ------------------------------------------------------------------------------------

PRIORITY_RANK_EXPR = Case(
    When(priority=Priority.URGENT, then=Value(3)),
    When(priority=Priority.HIGH, then=Value(2)),
    When(priority=Priority.NORMAL, then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class SortKey:
    name: str  # field or annotation
    desc: bool = False
    nullable: bool = False
    kind: str = "int"  # int | datetime


SORTS: dict[str, tuple[str, list[SortKey]]] = {
    "sla": ("SLA due", [SortKey("sla_yellow_until", nullable=True, kind="datetime"), SortKey("id")]),
    "priority": ("Priority", [SortKey("prio_rank", desc=True), SortKey("id")]),
    "updated": ("Last update", [SortKey("updated_at", desc=True, kind="datetime"), SortKey("id", desc=True)]),
    "newest": ("Newest", [SortKey("id", desc=True)]),
}
DEFAULT_SORT = "sla"


def order_by(keys: list[SortKey]) -> list[Any]:
    """ORDER BY matching the partial indexes of migration 0006: NULLS LAST is spelled out only where the
    column is nullable (ascending), so "x DESC" stays a plain backward index scan."""
    out = []
    for k in keys:
        expr = F(k.name)
        if k.desc:
            out.append(expr.desc(nulls_last=True) if k.nullable else expr.desc())
        else:
            out.append(expr.asc(nulls_last=True) if k.nullable else expr.asc())
    return out


def after_q(keys: list[SortKey], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the order of ``keys`` (nulls sort last)."""
    result = Q(pk__in=[])
    equal = Q()
    for k, v in zip(keys, values, strict=True):
        if v is None:
            # In the nulls segment: nothing sorts after NULL on this key except equal NULLs.
            equal &= Q(**{f"{k.name}__isnull": True})
            continue
        beyond = Q(**{f"{k.name}__{'lt' if k.desc else 'gt'}": v})
        if k.nullable:
            beyond |= Q(**{f"{k.name}__isnull": True})
        result |= equal & beyond
        equal &= Q(**{k.name: v})
    return result


def encode_cursor(sort: str, row: Any, sorts: dict[str, tuple[str, list[SortKey]]] | None = None) -> str:
    keys = (sorts or SORTS)[sort][1]
    values = []
    for k in keys:
        v = getattr(row, k.name)
        values.append(v.isoformat() if isinstance(v, dt.datetime) else v)
    return signing.dumps([sort, values], salt=CURSOR_SALT, compress=True)


class BadCursor(ValueError):
    pass


def decode_cursor(
    token: str, sort: str, sorts: dict[str, tuple[str, list[SortKey]]] | None = None
) -> list[Any]:
    """The key values stored in ``token``; raises BadCursor when it was tampered with or is for another
    sort."""
    try:
        cursor_sort, raw = signing.loads(token, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadCursor(
            "That page link is not valid (it was changed or is too old); showing the first page."
        ) from exc
    keys = (sorts or SORTS)[sort][1]
    if cursor_sort != sort or not isinstance(raw, list) or len(raw) != len(keys):
        raise BadCursor("That page link belongs to another sort order; showing the first page.")
    values: list[Any] = []
    for k, v in zip(keys, raw, strict=True):
        if v is None and k.nullable:
            values.append(None)
        elif k.kind == "datetime" and isinstance(v, str) and parse_datetime(v):
            values.append(parse_datetime(v))
        elif k.kind == "int" and isinstance(v, int):
            values.append(v)
        else:
            raise BadCursor("That page link is not valid; showing the first page.")
    return values


# --- filters ----------------------------------------------------------------------------------------

STATUS_FILTERS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "": ("Unfinished", tuple(UNFINISHED_STATUSES)),
    "active": ("Waiting for us (Open, Review)", tuple(ACTIVE_STATUSES)),
    **{s.value: (s.label, (s.value,)) for s in Status},
    "any": ("Any status", None),
}


@dataclass
class QueueQuery:
    """Parsed, validated queue parameters; invalid ones are dropped and explained in ``errors``."""

    status: str = ""
    priority: str = ""
    band: str = ""  # SLA band: green / yellow / red / paused (dashboard click-through)
    tag: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    organization: int | None = None
    text: str = ""
    sort: str = DEFAULT_SORT
    after: list[Any] | None = None
    errors: list[str] = field(default_factory=list)


def text_filter(text: str) -> Q:
    """Full-text search on subject and messages (PostgreSQL), ``icontains`` elsewhere. ``#123`` or
    ``123`` also finds ticket 123."""
    digits = text.lstrip("#")
    as_number = digits.isascii() and digits.isdigit() and len(digits) < 10
    by_number = Q(number=int(digits)) if as_number else Q(pk__in=[])
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(text, config="english", search_type="websearch")
        in_messages = Message.objects.alias(sv=SearchVector("body", config="english")).filter(sv=query)
        return by_number | Q(subject_sv=query) | Q(pk__in=in_messages.values("ticket_id"))
    in_messages = Message.objects.filter(body__icontains=text)
    return by_number | Q(subject__icontains=text) | Q(pk__in=in_messages.values("ticket_id"))


def filtered(qs: QuerySet[Ticket], query: QueueQuery, user: Any) -> QuerySet[Ticket]:
    statuses = STATUS_FILTERS[query.status][1]
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    if query.priority:
        qs = qs.filter(priority=query.priority)
    if query.band:
        qs = qs.filter(sla_band=query.band)
    if query.tag:
        qs = qs.filter(tags__name=query.tag)
    if query.assignee == "me":
        qs = qs.filter(assignee=user)
    elif query.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif query.assignee:
        qs = qs.filter(assignee_id=int(query.assignee))
    if query.organization:
        qs = qs.filter(organization_id=query.organization)
    if query.text:
        qs = search(qs, query.text)
    return qs


def search(qs: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """Tickets whose number, subject or messages match ``text`` (the queues' and triage's search box)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        qs = qs.alias(subject_sv=SearchVector("subject", config="english"))
    return qs.filter(text_filter(text))


def page(
    base: QuerySet | Callable[[], QuerySet], queue: Queue, query: QueueQuery, user: Any
) -> tuple[list[QueueRow], str | None]:
    """One page of ``queue`` from a ``values()`` queryset (``selectors.queue_values``): the rows and the
    cursor of the next page (None on the last page). Given the queryset's factory instead, the page's
    SQL is compiled once per shape (``helpdesk.prepared``) and only re-run with the request's values."""
    user_id = getattr(user, "pk", None)
    if not callable(base):
        values = list(page_queryset(base, queue, query, user_id))
    elif query.text or user_id is None:  # full-text search: PostgreSQL's time; text_filter reads the text
        values = list(page_queryset(base(), queue, query, user_id))
    else:
        values = _prepared_values(base, queue, query, user_id)
    rows = [QueueRow(v) for v in values]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (encode_cursor(query.sort, rows[-1]) if more and rows else None)


def page_queryset(base: QuerySet, queue: Queue, query: QueueQuery, user_id: Any) -> QuerySet:
    """The page's rows (PAGE_SIZE + 1, to know whether there is a next page) as a queryset."""
    keys = SORTS[query.sort][1]
    # Spam is in no queue, whatever the filters (the Spam list finds it: tickets/views/spam.py).
    qs = filtered(base.filter(queue.filter, spam_at__isnull=True), query, user_id)
    if query.sort == "priority":
        qs = qs.annotate(prio_rank=PRIORITY_RANK_EXPR)
    if query.after is not None:
        qs = qs.filter(after_q(keys, query.after))
    if user_id is not None:  # "new since you last opened it": one correlated lookup in the same query
        seen = TicketSeen.objects.filter(user_id=user_id, ticket_id=OuterRef("pk")).values("seen_at")[:1]
        qs = qs.annotate(seen_at=Subquery(seen))
    return qs.order_by(*order_by(keys))[: PAGE_SIZE + 1]


def _prepared_values(
    base: Callable[[], QuerySet], queue: Queue, query: QueueQuery, user_id: int
) -> list[dict[str, Any]]:
    """``page_queryset`` through ``helpdesk.prepared``: the filter values, the cursor and the user are
    slots; which filters are set, the sort and the queue (with its team ids) make the shape."""
    values: dict[str, Any] = {"user": user_id}
    for name in ("priority", "band", "tag", "organization"):
        if getattr(query, name):
            values[name] = getattr(query, name)
    assignee = query.assignee if query.assignee in ("", "me", "none") else "id"
    if assignee == "id":
        values["assignee"] = int(query.assignee)
    after = query.after or []
    for i, v in enumerate(after):
        if v is not None:
            values[f"after{i}"] = v
    shape = (
        "tickets.queue",
        getattr(base, "__module__", ""),
        getattr(base, "__qualname__", repr(base)),
        queue,
        query.status,
        query.sort,
        assignee,
        tuple(sorted(values)),
        None if query.after is None else tuple(v is None for v in after),
    )

    def build(slot: prepared.Slots) -> QuerySet:
        marked: Any = replace(
            query,
            **{n: slot(n) for n in ("priority", "band", "tag", "organization") if n in values},
            assignee=slot("assignee") if assignee == "id" else query.assignee,
            after=None
            if query.after is None
            else [None if v is None else slot(f"after{i}") for i, v in enumerate(after)],
        )
        return page_queryset(base(), queue, marked, slot("user"))

    return prepared.run(shape, build, values)

"""Reads for the triage screens and API. The queue costs a constant number of queries: one for the
page of rows (everything the row shows is joined or annotated), then one each for the authorised
contacts of the organizations on the page, similar open tickets, age-band counts, staff and teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Left
from django.utils import timezone

from escalation.selectors import rota_between
from helpdesk.people import staff_users
from helpdesk.permissions import TRIAGE_LEAD
from tickets.lookalike import most_alike, words
from tickets.models import (
    FINISHED_STATUSES,
    CannedResponse,
    Contact,
    Kind,
    Message,
    Team,
    Ticket,
    TicketEvent,
    Tier,
)
from tickets.queues import PRIORITY_RANK_EXPR, SortKey, after_q, encode_cursor, order_by, search

from .authorisation import OVERRIDE_VERB
from .models import AuthorisationRequest, EffortReview, ProjectItem

PAGE_SIZE = 50
# 004 "adjust priority level of relevant tickets if there is a backlog": above this many tickets
# waiting for triage the queue shows the backlog banner and the bulk priority tools.
BACKLOG_THRESHOLD = 20
PREVIEW_CHARS = 240
SEARCH_CAP = 5000  # matches a search counts and pages through (a broader search: refine it)
SIMILAR_POOL = 500  # most recent unfinished tickets compared with the page for "similar open tickets"
AGE_BANDS = [
    ("under 2 hours", dt.timedelta(hours=2)),
    ("under 1 day", dt.timedelta(days=1)),
    ("under 3 days", dt.timedelta(days=3)),
]


def queue_base() -> QuerySet[Ticket]:
    """Tickets waiting for a triage decision (tier triage, undecided, not finished, not spam)."""
    return Ticket.objects.filter(tier=Tier.TRIAGE, triage_decision="", spam_at__isnull=True).exclude(
        status__in=FINISHED_STATUSES
    )


def annotate_rows(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    first_message = (
        Message.objects.filter(ticket=OuterRef("pk")).order_by("created_at", "id").values("body")[:1]
    )
    priority_reviews = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), verb__in=["priority_changed", "priority_reviewed"])
        .values("ticket")
        .annotate(last=Max("at"))
        .values("last")[:1]
    )
    return qs.select_related(
        "requester",
        "organization__programme_delivery_manager",
        "organization__account_manager",
        "assignee",
        "team",
        "triaged_by",
    ).annotate(
        preview=Left(Subquery(first_message), PREVIEW_CHARS),
        auth_confirmed=Exists(
            AuthorisationRequest.objects.filter(ticket=OuterRef("pk"), confirmed_at__isnull=False)
        ),
        auth_overridden=Exists(TicketEvent.objects.filter(ticket=OuterRef("pk"), verb=OVERRIDE_VERB)),
        auth_pending=Exists(
            AuthorisationRequest.objects.filter(
                ticket=OuterRef("pk"), confirmed_at__isnull=True, declined_at__isnull=True
            )
        ),
        priority_reviewed_at=Subquery(priority_reviews),
    )


def queue_queryset() -> QuerySet[Ticket]:
    """The annotated queue, oldest first (the API paginates it with a cursor on ``id``)."""
    return annotate_rows(queue_base()).order_by("id")


@dataclass
class QueuePage:
    rows: list[Ticket]
    next_after: int | None
    age_counts: list[tuple[str, int]]
    total: int  # tickets matching the active filters (the header's count)
    backlog: bool
    staff: list[Any] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    next_cursor: str | None = None  # the next page for the priority / SLA sorts
    waiting: int = 0  # every ticket waiting for triage, whatever the filters


# Sort orders of the queue (issue #16): the id sorts page with ``?after=<id>``, the others with a signed
# cursor (``tickets.queues``' keyset helpers).
SORTS: dict[str, tuple[str, list[SortKey]]] = {
    "oldest": ("Oldest first", [SortKey("id")]),
    "newest": ("Newest first", [SortKey("id", desc=True)]),
    "priority": ("Priority", [SortKey("prio_rank", desc=True), SortKey("id")]),
    "sla": ("SLA due", [SortKey("sla_yellow_until", nullable=True, kind="datetime"), SortKey("id")]),
}
DEFAULT_SORT = "oldest"
ID_SORTS = ("oldest", "newest")


@dataclass(frozen=True)
class QueueFilter:
    sort: str = DEFAULT_SORT
    text: str = ""
    band: str = ""
    after: int | None = None  # id sorts
    cursor: list[Any] | None = None  # decoded cursor of the other sorts

    @property
    def active(self) -> bool:
        return bool(self.text or self.band)


def canned_answers() -> list[tuple[int, str]]:
    """(id, title) of the active canned responses; the text, filled in for the ticket, is fetched when one
    is picked (``tickets:canned_text``), so a page of 50 rows does not carry every body 50 times."""
    return list(CannedResponse.objects.filter(is_active=True).values_list("pk", "title")[:30])


def decorate(rows: list[Ticket], user: Any = None) -> list[Ticket]:
    """Per-row flags computed from the annotations, plus the org's authorised contacts (one query)."""
    org_ids = {t.organization_id for t in rows if t.organization_id}
    contacts: dict[int, list[Contact]] = {}
    if any(t.kind == Kind.CHANGE_REQUEST for t in rows):
        for c in Contact.objects.filter(organization_id__in=org_ids, is_authorised=True).order_by("name"):
            contacts.setdefault(c.organization_id, []).append(c)
    from .services import project_message_for

    canned = canned_answers() if rows else []
    for t in rows:
        t.canned = canned
        t.project_message = project_message_for(t)
        t.needs_authorisation = t.kind == Kind.CHANGE_REQUEST and not t.requester.is_authorised
        t.authorisation_blocked = t.needs_authorisation and not (t.auth_confirmed or t.auth_overridden)
        t.authorised_contacts = contacts.get(t.organization_id, [])
        t.priority_unreviewed = bool(
            t.last_requester_reply_at
            and (t.priority_reviewed_at is None or t.priority_reviewed_at < t.last_requester_reply_at)
        )
    return rows


def attach_similar(rows: list[Ticket], limit: int = 3, *, tickets: bool = True) -> None:
    """Similar open tickets and open known issues by subject words (one query each over the most recent
    unfinished tickets and the open known issues), to spot patterns (004 "Patterns of failures or issues
    developing")."""
    if not rows:
        return
    if not tickets:  # the queue page: look-alike known issues only; similar tickets come with an opened row
        known = _open_known_issues()
        for t in rows:
            t.similar, t.similar_known = [], most_alike(t.subject, known, 2)
        return
    pool = list(
        Ticket.objects.exclude(status__in=FINISHED_STATUSES)
        .order_by("-id")
        .values_list("id", "number", "subject")[:SIMILAR_POOL]
    )
    known = _open_known_issues()
    pool_words = [
        (pk, (number, subject), words(subject)) for pk, number, subject in pool
    ]  # once, not per row
    for t in rows:
        others = [(key, theirs) for pk, key, theirs in pool_words if pk != t.pk]
        t.similar = [{"number": n, "subject": s} for n, s in most_alike(t.subject, others, limit)]
        t.similar_known = most_alike(t.subject, known, 2)


def _open_known_issues() -> list[tuple[dict, frozenset[str]]]:
    """Open known issues (the escalation app's tracker, when installed — looked up, not imported)."""
    if not django_apps.is_installed("escalation"):
        return []
    KnownIssue = django_apps.get_model("escalation", "KnownIssue")
    rows = KnownIssue.objects.exclude(status="resolved").values_list("number", "title", "short_name")[:200]
    return [({"number": n, "title": title}, words(f"{title} {short}")) for n, title, short in rows]


def age_counts(
    now: dt.datetime | None = None, qs: QuerySet[Ticket] | None = None
) -> tuple[list[tuple[str, int]], int]:
    """How many tickets wait for triage per age band, of ``qs`` (default: the whole queue); one query."""
    now = now or timezone.now()
    aggregates = {
        f"b{i}": Count("id", filter=Q(created_at__gte=now - limit)) for i, (_, limit) in enumerate(AGE_BANDS)
    }
    counts = (queue_base() if qs is None else qs).aggregate(total=Count("id"), **aggregates)
    bands, below = [], 0
    for i, (label, _) in enumerate(AGE_BANDS):
        bands.append((label, counts[f"b{i}"] - below))
        below = counts[f"b{i}"]
    bands.append(("older", counts["total"] - below))
    return bands, counts["total"]


def filtered_queue(f: QueueFilter) -> QuerySet[Ticket]:
    """The queue narrowed by the band and the search box (unordered, unannotated)."""
    qs = queue_base()
    if f.band:
        qs = qs.filter(sla_band=f.band)
    if f.text:
        # The full-text match runs once: its ids then serve the page, the count and the age bands.
        ids = list(search(qs, f.text).values_list("id", flat=True)[:SEARCH_CAP])
        qs = queue_base().filter(pk__in=ids)
    return qs


def queue_page(
    *,
    after: int | None = None,
    limit: int | None = None,
    user: Any = None,
    band: str = "",
    query: QueueFilter | None = None,
) -> QueuePage:
    """One page of the queue in the chosen order, keyset-paginated (``after`` an id for the id sorts, a
    cursor for the others); ``band`` narrows it to one SLA band (the dashboard's click-through), the
    search box to matching tickets. The header's count and age bands honour the same filters."""
    f = query or QueueFilter(band=band, after=after)
    limit = limit or PAGE_SIZE
    keys = SORTS[f.sort][1]
    matching = filtered_queue(f)
    # Two steps: the page's ids in the chosen order (the sort sees only plain columns, whatever the
    # queue's size), then those rows with everything a row shows (annotated for 50 rows, not 10,000).
    qs = matching.annotate(prio_rank=PRIORITY_RANK_EXPR) if f.sort == "priority" else matching
    if f.sort in ID_SORTS and f.after:
        qs = qs.filter(id__lt=f.after) if f.sort == "newest" else qs.filter(id__gt=f.after)
    elif f.cursor is not None:
        qs = qs.filter(after_q(keys, f.cursor))
    order = list(
        qs.order_by(*order_by(keys)).values(*dict.fromkeys(["id", *(k.name for k in keys)]))[: limit + 1]
    )
    more = len(order) > limit
    by_id = {t.pk: t for t in annotate_rows(Ticket.objects.filter(pk__in=[o["id"] for o in order[:limit]]))}
    rows = decorate([by_id[o["id"]] for o in order[:limit] if o["id"] in by_id], user)
    attach_similar(rows, tickets=False)
    bands, total = age_counts(qs=matching)
    waiting = queue_base().count() if f.active else total
    last = SimpleNamespace(**order[limit - 1]) if more else None
    return QueuePage(
        rows=rows,
        next_after=last.id if last is not None and f.sort in ID_SORTS else None,
        next_cursor=encode_cursor(f.sort, last, SORTS)
        if last is not None and f.sort not in ID_SORTS
        else None,
        age_counts=bands,
        total=total,
        waiting=waiting,
        backlog=waiting > BACKLOG_THRESHOLD,
        # staff and teams: only the decision forms list them, loaded when a row is opened (queue_row)
    )


def queue_row(number: int, user: Any = None) -> Ticket | None:
    """One ticket annotated like a queue row (even when it has left the queue)."""
    row = annotate_rows(Ticket.objects.filter(number=number)).first()
    if row is None:
        return None
    decorate([row], user)
    attach_similar([row])
    return row


def project_backlog() -> QuerySet[ProjectItem]:
    return ProjectItem.objects.select_related("ticket", "organization", "delivery_manager", "created_by")


# --- The effort rule (``triage.effort``) ------------------------------------------------------------


def operations_leads(day: dt.date | None = None) -> list[Any]:
    """Who decides an effort review: the triage leads on today's rota, else every triage lead or above."""
    day = day or timezone.localdate()
    on_rota = [a.user for a in rota_between(day, day).filter(tier=Tier.TRIAGE).select_related("user")]
    return on_rota or list(staff_users(TRIAGE_LEAD))


def effort_review_for(ticket: Ticket) -> Any:
    return EffortReview.objects.select_related("raised_by", "decided_by").filter(ticket=ticket).first()


def effort_awaiting(limit: int = 50) -> list[Any]:
    """Tickets raised with the Operations Lead and not decided yet, oldest first (one query)."""
    from .models import EffortReview

    return list(
        EffortReview.objects.filter(decided_at__isnull=True)
        .select_related("ticket", "raised_by")
        .order_by("raised_at", "id")[:limit]
    )

"""Reads for screens and the API. Each returns a queryset with what the template needs joined in, so a
list costs a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from helpdesk import localcache, prepared
from helpdesk.people import display_name, staff_users
from helpdesk.permissions import can_view_ticket, is_staff_member, visible_tickets
from playbook import params

from . import extensions, rows
from .models import (
    ACTIVE_STATUSES,
    PAUSED_STATUSES,
    UNFINISHED_STATUSES,
    CannedResponse,
    Message,
    Notification,
    Organization,
    ReplyDraft,
    SavedView,
    SlaBand,
    Team,
    Ticket,
    TicketEvent,
    Visibility,
)
from .rows import QUEUE_FIELDS, QueueRow, row_html


def ticket_list() -> QuerySet[Ticket]:
    return Ticket.objects.select_related("requester", "organization", "assignee", "team")


def ticket_for(user: Any, number: int) -> Ticket:
    """The ticket ``number`` if ``user`` may see it, else 404 (no hint that it exists). Every ticket page
    and action reads it: its query (four joins) is compiled once (``helpdesk.prepared``)."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404("No such ticket.") from None
    if not -(2**31) < number < 2**31:  # the column's range (the ORM answers "none" too)
        raise Http404("No such ticket.")
    found = prepared.instances(("tickets.ticket_for",), _ticket_by_number, {"number": number})
    ticket = found[0] if found else None
    if ticket is None or not can_view_ticket(user, ticket):
        raise Http404("No such ticket.")
    return ticket


def _ticket_by_number(slot: Any) -> QuerySet[Ticket]:
    return ticket_list().filter(number=slot("number"))[:1]


def conversation(ticket: Ticket, user: Any) -> QuerySet[Message]:
    """Messages in order with their files (one query for all); requesters never see internal notes."""
    qs = ticket.messages.select_related("author_user", "author_contact").prefetch_related("attachments")
    if not is_staff_member(user):
        qs = qs.filter(visibility=Visibility.PUBLIC)
    return qs


def owned_unfinished(user: Any) -> QuerySet[Ticket]:
    """The agent's work in progress (the WIP limit); spam counts for nobody."""
    return (
        ticket_list()
        .filter(assignee=user, status__in=UNFINISHED_STATUSES, spam_at__isnull=True)
        .order_by("id")
    )


def requester_tickets(user: Any) -> QuerySet[Ticket]:
    return visible_tickets(user, ticket_list()).order_by("-id")


# --- agent screens (issue #3) -------------------------------------------------------------------------

KNOWN_ISSUE_TAG = re.compile(r"^\d+-")
STALE_AFTER = dt.timedelta(days=1)  # 002: "Update the user at least once a day."


# What My work shows beyond a queue row (``rows.QUEUE_FIELDS``).
MY_WORK_FIELDS = ("commitment_due_at", "commitment_missed", "last_public_reply_at", "last_requester_reply_at")


def queue_values(*extra: str) -> QuerySet:
    """The queue page's rows as plain values (wrapped in ``rows.QueueRow`` by ``queues.page``), with the
    ``extra`` fields a screen also shows. On PostgreSQL each row brings its tag names as an array (one
    query less per page)."""
    qs = Ticket.objects.values(*QUEUE_FIELDS, *extra)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        names = Ticket.tags.through.objects.filter(ticket_id=OuterRef("pk")).order_by("tag__name")
        qs = qs.annotate(tag_names=ArraySubquery(names.values("tag__name")))
    return qs


def _span(seconds: float) -> str:
    seconds = int(abs(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"


def sla_target(ticket: Ticket, now: dt.datetime) -> tuple[str, dt.datetime, bool] | None:
    """The one reading of a running SLA, shared by the SLA column and the business-time provider: (band,
    the deadline it counts to — or from, once late —, late?). ``None`` when paused, finished or unset."""
    green, yellow = ticket.sla_green_until, ticket.sla_yellow_until
    if ticket.sla_band == SlaBand.PAUSED or ticket.status not in UNFINISHED_STATUSES or not (green or yellow):
        return None
    band = ticket.sla_band
    if green and now < green:
        return band or "green", green, False
    if yellow and now < yellow:
        return band or "yellow", yellow, False
    return band or "red", (yellow or green), True  # type: ignore[return-value]


def sla_display(ticket: Ticket, now: dt.datetime) -> tuple[str, str]:
    """(css band, text) for the SLA column: time left to the next band change, from the stored deadlines
    (the SLA job keeps ``sla_band`` current). Without deadlines (no SLA yet): the ticket's age."""
    if ticket.sla_band == SlaBand.PAUSED:
        return "paused", "paused"
    target = sla_target(ticket, now)
    if target is None:
        return ticket.sla_band or "none", f"age {_span((now - ticket.created_at).total_seconds())}"
    band, deadline, late = target
    return band, f"{_span(abs((deadline - now).total_seconds()))} {'over' if late else 'left'}"


def decorate(rows: list[Any], now: dt.datetime | None = None) -> list[Any]:
    """Attach what a row displays (SLA colour/text, known-issue tags) without further queries."""
    now = now or timezone.now()
    base = reverse("tickets:detail", args=[0])[:-2]  # "/tickets/": one reverse() per page, not per row
    # One flat query for the tag names of all rows: measurably lighter than prefetch_related here.
    names: dict[int, list[str]] = {}
    if rows and all(hasattr(t, "tag_names") for t in rows):  # read with the rows (queue_values, PostgreSQL)
        names = {t.pk: t.tag_names for t in rows}
    elif rows:
        through = Ticket.tags.through.objects.filter(ticket_id__in=[t.pk for t in rows])
        for ticket_id, name in through.values_list("ticket_id", "tag__name").order_by("tag__name"):
            names.setdefault(ticket_id, []).append(name)
    for t in rows:
        t.url = f"{base}{t.number}/"
        if isinstance(t, Ticket):  # queue pages bring QueueRow objects with these already flat
            t.requester_name = t.requester.name
            t.organization_name = t.organization.name if t.organization_id else ""
            t.assignee_name = display_name(t.assignee) if t.assignee_id else ""
        t.sla_css, t.sla_text = sla_display(t, now)
        tags = names.get(t.pk) or ()
        t.known_issue_tags = [g for g in tags if KNOWN_ISSUE_TAG.match(g)]
        t.other_tags = [g for g in tags if g not in t.known_issue_tags] if t.known_issue_tags else list(tags)
    extensions.apply_time_left(rows, now)  # business time left (the SLA app)
    tz = timezone.get_current_timezone()
    for t in rows:
        t.row_html = row_html(t, now, tz=tz)
    return rows


def organization_choices() -> list[tuple[int, str]]:
    """(id, name) pairs for the organization filter; tuples, not models: this list can be long."""
    return list(Organization.objects.order_by("name").values_list("id", "name")[:2000])


def filter_choices_key() -> str:
    """Per database, so test workers (one database each) sharing a Redis never see each other's rows."""
    return "tickets:queue-filter-choices"


FILTER_CHOICES_TTL = 60  # seconds: a new organization or agent shows up in the filters within a minute


def filter_choices() -> dict[str, Any]:
    """Teams, staff and organizations for the queue filters, cached briefly (shared cache, no per-process
    state): three queries saved on every queue page."""
    return localcache.remembered(filter_choices_key(), 10, _shared_filter_choices)


def _shared_filter_choices() -> dict[str, Any]:
    from django.core.cache import cache

    found = cache.get(filter_choices_key())
    if found is None:
        from .select_options import options

        found = {
            "teams": teams(),
            "organization_options": str(options(organization_choices())),
            "staff": [(u.pk, display_name(u)) for u in staff_users()],
        }
        cache.set(filter_choices_key(), found, FILTER_CHOICES_TTL)
    return found


def teams() -> list[Team]:
    return list(Team.objects.order_by("name"))


def saved_views_key(user_id: int) -> str:

    return f"tickets:saved-views:{user_id}"


def saved_views(user: Any) -> list[dict[str, Any]]:
    """The user's saved queue views (pk, name, queue, query), cached until they save or delete one: the
    queue page is reloaded every 30 s and these rarely change."""
    from django.core.cache import cache

    key = saved_views_key(user.pk)
    found = cache.get(key)
    if found is None:
        found = list(SavedView.objects.filter(user=user).values("pk", "name", "queue", "query"))
        cache.set(key, found, 3600)
    return found


@dataclass(frozen=True)
class Nudge:
    """An unread notice on My work: its text and the ticket it links to ("" without one)."""

    text: str
    url: str


def _nudges(slot: prepared.Slots) -> QuerySet:
    """The agent's ten newest unread notices, as values (compiled once: ``helpdesk.prepared``)."""
    return (
        Notification.objects.filter(recipient_user_id=slot("user"), read_at__isnull=True)
        .order_by("-created_at")
        .values("body", "subject", "ticket__number")[:10]
    )


@dataclass
class MyWork:
    needs_reply: list[Ticket] = field(default_factory=list)
    waiting: list[Ticket] = field(default_factory=list)
    commitments: list[Ticket] = field(default_factory=list)
    stale: list[Ticket] = field(default_factory=list)
    notices: list[Nudge] = field(default_factory=list)
    wip: int = 0
    wip_limit: int = 3
    now: dt.datetime | None = None

    @property
    def over_limit(self) -> bool:
        return self.wip > self.wip_limit

    def stale_html(self) -> SafeString:
        now = self.now or timezone.now()
        return mark_safe("".join(rows.stale_item(t, now) for t in self.stale))  # noqa: S308 — format_html

    def commitments_html(self) -> SafeString:
        tz = timezone.get_current_timezone()
        return mark_safe("".join(rows.commitment_item(t, tz) for t in self.commitments))  # noqa: S308


def needs_reply(t: Ticket) -> bool:
    """Waiting for us and the requester spoke last (or nobody answered yet)."""
    if t.status not in ACTIVE_STATUSES:
        return False
    if t.last_public_reply_at is None:
        return True
    return bool(t.last_requester_reply_at and t.last_requester_reply_at > t.last_public_reply_at)


def _my_work_rows(slot: prepared.Slots, cap: int = 200) -> QuerySet:
    """My work's rows (compiled once per process: ``helpdesk.prepared``)."""
    return (
        queue_values(*MY_WORK_FIELDS)
        .filter(assignee_id=slot("user"), status__in=UNFINISHED_STATUSES, spam_at__isnull=True)
        .order_by("id")[:cap]
    )


def my_work(user: Any, now: dt.datetime | None = None, cap: int = 200) -> MyWork:
    """The agent's owned unfinished tickets grouped for the My work screen: plain-value rows (issue #20
    §2) with their tags on PostgreSQL, and the unread notices (2 queries; 3 on SQLite)."""
    now = now or timezone.now()
    values = prepared.run(("tickets.my_work", cap), lambda slot: _my_work_rows(slot, cap), {"user": user.pk})
    owned = decorate([QueueRow(v) for v in values], now)
    work = MyWork(wip_limit=params.get("wip_limit"), wip=len(owned), now=now)
    far = now + dt.timedelta(days=3650)
    active = [t for t in owned if t.status in ACTIVE_STATUSES]
    active.sort(key=lambda t: (not t.commitment_missed, not needs_reply(t), t.sla_yellow_until or far, t.id))
    work.needs_reply = active
    work.waiting = [t for t in owned if t.status in PAUSED_STATUSES]
    work.commitments = sorted((t for t in owned if t.commitment_due_at), key=lambda t: t.commitment_due_at)
    work.stale = [
        t
        for t in active
        if (t.last_public_reply_at or t.created_at)
        < now - STALE_AFTER * params.get("stale_nudge_business_days")
    ]
    for t in owned:
        t.needs_reply = needs_reply(t)
    base = reverse("tickets:detail", args=[0])[:-2]  # "/tickets/"
    work.notices = [
        Nudge(
            n["body"] or n["subject"],
            f"{base}{n['ticket__number']}/" if n["ticket__number"] is not None else "",
        )
        for n in prepared.run(("tickets.nudges",), _nudges, {"user": user.pk})
    ]
    return work


def history(ticket: Ticket) -> QuerySet[TicketEvent]:
    return ticket.events.select_related("actor").order_by("at", "id")


HISTORY_SHOWN = 50  # the workspace's history: the newest events; "Show all" loads the rest


@dataclass
class RecentHistory:
    events: list[TicketEvent]  # the newest HISTORY_SHOWN, oldest first
    total: int  # how many the ticket has


def recent_history(ticket: Ticket) -> RecentHistory:
    """The workspace's history: its newest events (one query; a count only when there are more). A busy
    ticket gathers hundreds — SLA bands, replies, status moves — and reading and rendering them all was
    most of the page after each change."""
    newest = list(history(ticket).reverse()[: HISTORY_SHOWN + 1])
    more = len(newest) > HISTORY_SHOWN
    newest = newest[:HISTORY_SHOWN]
    return RecentHistory(newest[::-1], ticket.events.count() if more else len(newest))


def events_since(ticket: Ticket, event_id: int) -> list[TicketEvent]:
    """What changed after the agent loaded the page (for the version-conflict message)."""
    return list(history(ticket).filter(id__gt=event_id))


def last_event_id(ticket: Ticket) -> int:
    # An aggregate over the ticket's own events (index event_ticket), never a backward scan of all events.
    return ticket.events.aggregate(last=Max("id"))["last"] or 0


CANNED_KEY = "tickets:canned-picks"


def canned_responses() -> list[dict[str, Any]]:
    """The reply box's canned-response picker (pk, title), cached until one is saved or deleted."""
    from django.core.cache import cache

    found = cache.get(CANNED_KEY)
    if found is None:
        rows = CannedResponse.objects.filter(is_active=True).values_list("id", "title")
        found = [{"pk": pk, "title": title} for pk, title in rows]
        cache.set(CANNED_KEY, found, 3600)
    return found


def forget_canned(*args: Any, **kwargs: Any) -> None:
    from django.core.cache import cache

    cache.delete(CANNED_KEY)


def draft_for(user: Any, ticket: Ticket) -> ReplyDraft | None:
    """The person's saved draft on the ticket (every workspace view reads it: compiled once)."""
    found = prepared.instances(("tickets.draft_for",), _draft, {"user": user.pk, "ticket": ticket.pk})
    return found[0] if found else None


def _draft(slot: Any) -> QuerySet[ReplyDraft]:
    return ReplyDraft.objects.filter(user_id=slot("user"), ticket_id=slot("ticket")).order_by("pk")[:1]

"""The patterns panel (004 "Ongoing open issue with many tickets"): 3+ tickets on one thing in a week →
create a tag / link to a known issue; 6+ → consider a status-page ("Sorry") post.

Three grouped queries over the last 7 days: tags applied (tag_added audit events, index event_verb),
repeated subjects and incident/bug kinds of new tickets. Known issues are matched through their tag
``<number>-<short-name>`` (004) when the escalation app's model is available.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.functions import Lower, Trim

from escalation.models import KnownIssue, KnownIssueLink
from escalation.selectors import review_tags, status_post_threshold, tag_threshold
from tickets.models import Kind, Ticket, TicketEvent

from .filters import DashboardFilters

_KNOWN_ISSUE_TAG = re.compile(r"^(\d+)-")
WATCHED_KINDS = (Kind.INCIDENT, Kind.BUG)


@dataclass
class Pattern:
    source: str  # "tag" | "subject" | "kind"
    name: str
    tickets: int
    known_issue: Any = None  # escalation.KnownIssue when the tag belongs to one

    @property
    def status_page(self) -> bool:
        return self.tickets >= status_post_threshold()

    @property
    def suggestion(self) -> str:
        if self.status_page:
            return "Consider a status page post"
        if self.source == "known issue":
            return "Keep the known issue updated"
        if self.source == "tag":
            return "Linked to a known issue" if self.known_issue is not None else "Link to a known issue"
        return "Create a tag"


def patterns(filters: DashboardFilters, now: dt.datetime) -> list[Pattern]:
    since = now - dt.timedelta(days=7)
    tagged = (
        TicketEvent.objects.filter(verb="tag_added", at__gte=since, **filters.ticket_q("ticket__"))
        .exclude(data__tag__in=review_tags())
        .values("data__tag")
        .annotate(n=Count("ticket_id", distinct=True))
        .filter(n__gte=tag_threshold())
        .order_by("-n")[:50]
    )
    found = [Pattern("tag", str(row["data__tag"]), row["n"]) for row in tagged]
    new = Ticket.objects.filter(created_at__gte=since, **filters.ticket_q())
    subjects = (
        new.annotate(key=Lower(Trim("subject")))
        .values("key")
        .annotate(n=Count("id"))
        .filter(n__gte=tag_threshold())
        .order_by("-n")[:20]
    )
    found += [Pattern("subject", row["key"], row["n"]) for row in subjects]
    kinds = (
        new.filter(kind__in=WATCHED_KINDS)
        .values("kind")
        .annotate(n=Count("id"))
        .filter(n__gte=tag_threshold())
    )
    found += [Pattern("kind", str(Kind(row["kind"]).label), row["n"]) for row in kinds.order_by("-n")]
    _attach_known_issues(found)
    found = _known_issue_links(since, filters, found)
    return sorted(found, key=lambda p: (-p.tickets, p.source, p.name))


def _attach_known_issues(found: list[Pattern]) -> None:
    numbers = {int(m[1]): p for p in found if p.source == "tag" and (m := _KNOWN_ISSUE_TAG.match(p.name))}
    if not numbers:
        return
    for issue in KnownIssue.objects.filter(number__in=list(numbers)):
        numbers[issue.number].known_issue = issue


def _known_issue_links(since: dt.datetime, filters: DashboardFilters, found: list[Pattern]) -> list[Pattern]:
    """Known issues with 3+ tickets linked this week (escalation.KnownIssueLink); a tag row for the same
    known issue is dropped so one issue is listed once."""
    rows = list(
        KnownIssueLink.objects.filter(at__gte=since, **filters.ticket_q("ticket__"))
        .values("known_issue__number", "known_issue__title")
        .annotate(n=Count("ticket_id"))
        .filter(n__gte=tag_threshold())
        .order_by("-n")[:20]
    )
    numbers = {row["known_issue__number"] for row in rows}
    kept = [p for p in found if p.known_issue is None or p.known_issue.number not in numbers]
    for row in rows:
        name = f"{row['known_issue__number']} {row['known_issue__title']}"
        kept.append(Pattern("known issue", name, row["n"], known_issue=_IssueRef(row["known_issue__number"])))
    return kept


@dataclass
class _IssueRef:
    number: int

"""Reads for escalation screens, jobs and services: rota, on-call chain, time boxes, known issues and
their suggestions, the status page and the weekly review list. Lists cost a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from playbook import params
from tickets.lookalike import groups, most_alike, words
from tickets.models import (
    TIER_ORDER,
    UNFINISHED_STATUSES,
    Message,
    Tag,
    Team,
    Ticket,
    TicketEvent,
    Tier,
    Visibility,
)

from .errors import InvalidInput
from .models import (
    REVIEW_TAGS,
    KnownIssue,
    KnownIssueBroadcast,
    KnownIssueLink,
    OnCallPage,
    OnCallShift,
    TierAssignment,
)

LOOKALIKE_POOL = 300  # most recent open tickets without a known issue compared for look-alike groups


def tag_threshold() -> int:
    """Look-alike tickets before a known-issue tag is suggested (004: "3+ tickets as a general guide")."""
    return params.get("tag_suggestion_tickets")


def status_post_threshold() -> int:
    """Affected tickets before a status page post is suggested (004: "6 as a general guide")."""
    return params.get("status_page_tickets")


def review_tags() -> list[str]:
    """The tags that put a ticket on the weekly review: the built-in ones and those configured on the
    Playbook screen (``debug-improvements`` among the defaults, 004)."""
    return [*REVIEW_TAGS, *(t for t in params.get("review_tags") if t not in REVIEW_TAGS)]


def other_review_tags() -> list[str]:
    """The configured review tags besides the built-in ones (each of those has its own checkbox)."""
    return [t for t in params.get("review_tags") if t not in REVIEW_TAGS]


ESCALATABLE = [Tier.T1, Tier.T2, Tier.T3, Tier.T4, Tier.T5, Tier.ONCALL]


# --- time boxes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeBox:
    """004 "Structure": minutes to determine a solution, then minutes to craft the answer."""

    tier: str
    determine_minutes: int
    craft_minutes: int
    advice: str

    @property
    def total_minutes(self) -> int:
        return self.determine_minutes + self.craft_minutes


TIME_BOXES = {
    Tier.T1: TimeBox(Tier.T1, 5, 5, "Over 10 minutes: skip it (juniors) or escalate (seniors)."),
    Tier.T2: TimeBox(Tier.T2, 15, 15, "Over 30 minutes: skip it (juniors) or escalate (seniors)."),
    Tier.T3: TimeBox(Tier.T3, 20, 0, "Stuck in research for 20 minutes? Escalate with your findings."),
}


def time_box(tier: str) -> TimeBox | None:
    """The tier's time box, or None for tiers without one (triage, T4, T5, on-call)."""
    return TIME_BOXES.get(tier)


def time_box_start(ticket: Ticket, user: Any) -> dt.datetime | None:
    """Since when the current owner has had the ticket in this tier: the later of entering the tier and
    being assigned it (one query). None when ``user`` does not own it (the page then times the visit)."""
    if ticket.assignee_id is None or ticket.assignee_id != getattr(user, "pk", None):
        return None
    taken = (
        TicketEvent.objects.filter(ticket=ticket, verb="assignee_changed", data__new=user.pk)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    starts = [t for t in (ticket.tier_entered_at, taken) if t is not None]
    return max(starts) if starts else None


# --- rota and on-call ----------------------------------------------------------------------------------


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def rota_between(first: dt.date, last: dt.date) -> QuerySet[TierAssignment]:
    return (
        TierAssignment.objects.filter(starts_on__lte=last, ends_on__gte=first)
        .select_related("user", "substitute_for")
        .order_by("tier", "starts_on", "user__username")
    )


def tiers_of(user: Any, day: dt.date | None = None) -> list[str]:
    """The tiers ``user`` works on ``day`` (today) by the rota, in tier order."""
    day = day or timezone.localdate()
    tiers = set(
        TierAssignment.objects.filter(user=user, starts_on__lte=day, ends_on__gte=day).values_list(
            "tier", flat=True
        )
    )
    return [t for t in TIER_ORDER if t in tiers]


def oncall_chain(at: dt.datetime) -> list[OnCallShift]:
    """Shifts covering ``at`` in paging order (first = the on-call person)."""
    return list(
        OnCallShift.objects.filter(starts_at__lte=at, ends_at__gt=at)
        .select_related("user")
        .order_by("order", "starts_at", "id")
    )


def shifts_between(start: dt.datetime, end: dt.datetime) -> QuerySet[OnCallShift]:
    return OnCallShift.objects.filter(starts_at__lt=end, ends_at__gt=start).select_related("user")


def open_pages() -> QuerySet[OnCallPage]:
    return (
        OnCallPage.objects.filter(acknowledged_at__isnull=True)
        .select_related("ticket", "ticket__assignee")
        .order_by("created_at", "id")
    )


def open_page_for(ticket: Ticket) -> OnCallPage | None:
    return OnCallPage.objects.filter(ticket=ticket, acknowledged_at__isnull=True).first()


def managers() -> list[Any]:
    from helpdesk.permissions import ADMIN, MANAGER

    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, groups__name__in=[MANAGER, ADMIN]).distinct().order_by("id")
    )


# --- escalation helpers --------------------------------------------------------------------------------


def previous_engineer(ticket: Ticket, tier: str) -> Any | None:
    """The latest staff member who publicly answered ``ticket`` while on ``tier``'s rota (004: "If an
    escalated engineer already answered the client once on this ticket … assign it to them")."""
    replies = list(
        Message.objects.filter(ticket=ticket, visibility=Visibility.PUBLIC, author_user__isnull=False)
        .select_related("author_user")
        .order_by("-created_at", "-id")[:200]
    )
    if not replies:
        return None
    user_ids = {m.author_user_id for m in replies}
    spans = defaultdict(list)
    for a in TierAssignment.objects.filter(tier=tier, user_id__in=user_ids):
        spans[a.user_id].append((a.starts_on, a.ends_on))
    for m in replies:
        day = timezone.localdate(m.created_at)
        if any(start <= day <= end for start, end in spans.get(m.author_user_id, ())):
            return m.author_user
    return None


def last_escalator(ticket: Ticket, from_tier: str) -> Any | None:
    """Who escalated the ticket up out of ``from_tier`` most recently (escalating down goes back to them)."""
    event = (
        TicketEvent.objects.filter(ticket=ticket, verb="escalated", actor__isnull=False)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    for e in event[:50]:
        if e.data.get("from") == from_tier:
            return e.actor
    return None


def transition_comment_due(ticket: Ticket, now: dt.datetime | None = None) -> bool:
    """004: "T2 – always transition comment"; "T1 – transition comment if client had the last response";
    from any tier, when the requester "hasn't heard from us in a day" (24 hours, calendar time)."""
    now = now or timezone.now()
    last = ticket.last_public_reply_at
    if ticket.tier == Tier.T2 or last is None or now - last > dt.timedelta(hours=24):
        return True
    requester_last = ticket.last_requester_reply_at
    return ticket.tier == Tier.T1 and requester_last is not None and requester_last > last


def tier_rank(tier: str) -> int:
    return TIER_ORDER.index(tier)


# --- known issues --------------------------------------------------------------------------------------


def known_issue_by_number(number: Any) -> KnownIssue | None:
    try:
        return KnownIssue.objects.filter(number=int(number)).first()
    except (TypeError, ValueError):
        return None


def matching_known_issues(
    ticket: Ticket, *, open_issues: list[KnownIssue] | None = None, linked: set[int] | None = None
) -> list[KnownIssue]:
    """Open known issues this ticket points at (linked, or carrying the issue's tag), then open known issues
    that look like it (subject words vs the issue's title and short name) — "check the known issues before
    escalating" (004). ``open_issues`` (the newest 200 open ones) and ``linked`` (ids of the issues linked
    to the ticket) may come from the caller, which has read them already (the workspace, issue #20)."""
    tags = {t.name for t in ticket.tags.all()}  # the workspace has them prefetched
    if linked is None:
        linked = set(KnownIssueLink.objects.filter(ticket=ticket).values_list("known_issue_id", flat=True))
    if open_issues is None:
        open_issues = list(open_known_issues()[:200])
    pointed = [ki for ki in open_issues if ki.pk in linked or ki.tag_name in tags]
    alike = most_alike(
        ticket.subject,
        [(ki, words(f"{ki.title} {ki.short_name}")) for ki in open_issues if ki not in pointed],
        3,
    )
    return pointed + alike


def open_known_issues() -> QuerySet[KnownIssue]:
    return KnownIssue.objects.exclude(status=KnownIssue.Status.RESOLVED).order_by("-number")


def tracker_rows(limit: int = 200) -> list[KnownIssue]:
    """Known issues (open first, then recently resolved) with ``affected`` = unfinished tickets linked to
    the issue or carrying its tag. Three queries whatever the number of issues or tickets."""
    issues = list(KnownIssue.objects.order_by("-number")[:limit])
    counts = affected_counts(issues)
    for ki in issues:
        ki.affected = counts.get(ki.pk, 0)
    issues.sort(key=lambda k: (not k.is_open, -k.number))
    return issues


def affected_counts(issues: list[KnownIssue]) -> dict[int, int]:
    """Distinct unfinished tickets per known issue (linked ∪ tagged)."""
    if not issues:
        return {}
    by_tag = {ki.tag_name: ki.pk for ki in issues}
    tickets: dict[int, set[int]] = defaultdict(set)
    for ki_id, t_id in KnownIssueLink.objects.filter(
        known_issue_id__in=list(by_tag.values()), ticket__status__in=UNFINISHED_STATUSES
    ).values_list("known_issue_id", "ticket_id"):
        tickets[ki_id].add(t_id)
    through = Ticket.tags.through
    for name, t_id in through.objects.filter(
        tag__name__in=list(by_tag), ticket__status__in=UNFINISHED_STATUSES
    ).values_list("tag__name", "ticket_id"):
        tickets[by_tag[name]].add(t_id)
    return {k: len(v) for k, v in tickets.items()}


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "create_tag" | "status_post"
    text: str
    known_issue: KnownIssue | None = None
    tag: str = ""
    count: int = 0


def suggestions(issues: list[KnownIssue] | None = None) -> list[Suggestion]:
    """004 "Ongoing open issue with many tickets": 3+ look-alike open tickets → create a known issue and
    tag; 6+ on a known issue without a status post → post on the status page. Constant queries."""
    issues = tracker_rows() if issues is None else issues
    out = [
        Suggestion(
            "status_post",
            f"{ki.affected} open tickets are linked to KI-{ki.number} “{ki.title}”: "
            "consider posting it on the status page.",
            ki,
            ki.tag_name,
            ki.affected,
        )
        for ki in issues
        if ki.is_open and ki.affected >= status_post_threshold() and ki.status_post == KnownIssue.Post.NONE
    ]
    ki_tags = {ki.tag_name for ki in KnownIssue.objects.only("number", "short_name")}
    unlinked = Ticket.objects.filter(status__in=UNFINISHED_STATUSES, known_issue_link__isnull=True)
    tag_rows = (
        Tag.objects.filter(tickets__in=unlinked)
        .annotate(n=Count("tickets", distinct=True))
        .filter(n__gte=tag_threshold())
        .exclude(name__in=review_tags())
        .order_by("-n", "name")[:20]
    )
    for tag in tag_rows:
        if tag.name not in ki_tags:
            out.append(
                Suggestion(
                    "create_tag",
                    f"{tag.n} open tickets are tagged “{tag.name}” without a known "
                    "issue: create a known issue (and its tag) for them.",
                    None,
                    tag.name,
                    tag.n,
                )
            )
    recent = list(unlinked.order_by("-id").values_list("number", "subject")[:LOOKALIKE_POOL])
    for group in groups([((n, subj), words(subj)) for n, subj in recent], tag_threshold())[:5]:
        numbers = ", ".join(f"#{n}" for n, _s in group[:6]) + (" …" if len(group) > 6 else "")
        out.append(
            Suggestion(
                "create_tag",
                f"{len(group)} open tickets look alike (“{group[0][1]}”: {numbers}): "
                "create a known issue and tag them.",
                None,
                "",
                len(group),
            )
        )
    return out


def linked_tickets(known_issue: KnownIssue) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(known_issue_link__known_issue=known_issue)
        .select_related("assignee", "requester", "organization")
        .order_by("-number")
    )


def status_posts() -> QuerySet[KnownIssue]:
    """Public: current posts (Investigating / Known issue) and posts resolved in the last 7 days."""
    recent = timezone.now() - dt.timedelta(days=7)
    return (
        KnownIssue.objects.filter(
            Q(status_post__in=[KnownIssue.Post.INVESTIGATING, KnownIssue.Post.KNOWN_ISSUE])
            | Q(status_post=KnownIssue.Post.RESOLVED, status_posted_at__gte=recent)
        )
        .only("number", "title", "status_post", "status_post_text", "status_posted_at")
        .order_by("-status_posted_at", "-number")
    )


# --- weekly review -------------------------------------------------------------------------------------


def review_events(since: dt.datetime) -> QuerySet[TicketEvent]:
    """Review-tag events since ``since`` (004 "Review Tags": reviewed weekly by the manager)."""
    return (
        TicketEvent.objects.filter(verb="tag_added", at__gte=since, data__tag__in=review_tags())
        .select_related("ticket", "actor", "ticket__assignee")
        .order_by("-at", "-id")
    )


def unfinished_broadcast_ids() -> list[int]:
    return list(
        KnownIssueBroadcast.objects.filter(finished_at__isnull=True).values_list("id", flat=True)[:100]
    )


def team_by_slug(slug: str) -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise InvalidInput(f"The {slug} team does not exist; an administrator must create it.")
    return team


def marketing_lead(explicit: Any | None = None) -> Any:
    """The head of Marketing: the chosen member, else the Marketing team's first member."""
    team = team_by_slug("marketing")
    if explicit is not None:
        if not team.members.filter(pk=explicit.pk).exists():
            raise InvalidInput("Pick a member of the Marketing team.", field="lead")
        return explicit
    lead = team.members.order_by("id").first()
    if lead is None:
        raise InvalidInput(
            "The Marketing team has no members yet; an administrator must add its lead.", field="lead"
        )
    return lead


def broadcast_for(known_issue: KnownIssue) -> KnownIssueBroadcast | None:
    return KnownIssueBroadcast.objects.filter(known_issue=known_issue).first()


def delivery_counts(broadcast: KnownIssueBroadcast) -> dict[str, int]:
    """Deliveries of a resolution broadcast per state (one query)."""
    return {row["state"]: row["n"] for row in broadcast.deliveries.values("state").annotate(n=Count("id"))}

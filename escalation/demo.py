"""Demo data for escalation (``manage.py seed_demo``): this week's rota, on-call shifts and three known
issues — one with 6+ linked tickets and a status post. Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tickets import demo as tickets_demo
from tickets import demo_clock
from tickets import services as core
from tickets.models import UNFINISHED_STATUSES, Contact, Kind, Priority, Ticket, Tier

from . import demo_week, selectors
from .models import KnownIssue, KnownIssueLink, OnCallShift, TierAssignment
from .services import escalate, known_issues

ROTA = [
    ("lead", Tier.TRIAGE),
    ("agent1", Tier.T1),
    ("agent2", Tier.T1),
    ("agent3", Tier.T2),
    ("agent4", Tier.T2),
    ("eng1", Tier.T3),
    ("eng2", Tier.T4),
    ("manager", Tier.T5),
    ("eng2", Tier.ONCALL),
]
ONCALL = [("eng2", 1), ("eng1", 2)]
ISSUES = [
    # short name, title, status, subject to link, how many, status post, public text
    (
        "airbnb-sync",
        "Airbnb calendar sync delayed",
        KnownIssue.Status.KNOWN,
        "Calendar not syncing with Airbnb",
        7,
        KnownIssue.Post.KNOWN_ISSUE,
        "Calendar sync with Airbnb is delayed by up to two hours. We are working on a fix.",
    ),
    (
        "2fa-sms",
        "Two-factor SMS codes arrive late",
        KnownIssue.Status.INVESTIGATING,
        "Two-factor code never arrives",
        2,
        KnownIssue.Post.NONE,
        "",
    ),
    (
        "widget-prices",
        "Widget showed old prices after rate change",
        KnownIssue.Status.RESOLVED,
        "Website widget shows wrong prices",
        0,
        KnownIssue.Post.NONE,
        "",
    ),
]


PAGE_SUBJECT = "Every guest payment fails with 'gateway error'"
PAGE_BODY = (
    "Since about half an hour ago every guest payment on our site fails with 'gateway error'. We have "
    "arrivals all afternoon and guests are calling us. Please help urgently!"
)
PAGE_QUESTIONS = [
    "Payments fail for every guest of Sunset Villas since ~30 min: is the payment gateway down for "
    "everyone or only for this account?",
]


def seed(stdout: TextIO) -> None:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in={name for name, _ in ROTA} | {name for name, _ in ONCALL}
        )
    }
    if not users:
        stdout.write("escalation demo: no demo staff found, skipped\n")
        return
    with transaction.atomic():
        rota = _rota(users)
        shifts = _shifts(users)
    issues = sum(_issue(users.get("eng1"), *spec) for spec in ISSUES)
    paged = _oncall_page(users)
    stories = demo_week.seed(users)
    stdout.write(
        f"escalation demo: {rota} rota entries, {shifts} on-call shifts, {issues} known issues added, "
        f"{paged} on-call page waiting for acknowledgement, {stories} escalations last week\n"
    )


def _rota(users: dict) -> int:
    monday, sunday = selectors.week_bounds(timezone.localdate())
    added = 0
    for username, tier in ROTA:
        if username in users:
            _, created = TierAssignment.objects.get_or_create(
                user=users[username], tier=tier, starts_on=monday, defaults={"ends_on": sunday}
            )
            added += created
    return added


def _shifts(users: dict) -> int:
    monday, _ = selectors.week_bounds(timezone.localdate())
    start = dt.datetime.combine(monday, dt.time(9), tzinfo=timezone.get_current_timezone())
    added = 0
    for username, order in ONCALL:
        if username in users:
            _, created = OnCallShift.objects.get_or_create(
                user=users[username],
                starts_at=start,
                order=order,
                defaults={"ends_at": start + dt.timedelta(days=7)},
            )
            added += created
    return added


def _last_week(weekday: int, hour: int) -> dt.datetime:
    """A moment of last week (Monday = 0), local time."""
    today = timezone.localdate()
    day = today - dt.timedelta(days=today.weekday() + 7 - weekday)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


# short name → (opened, resolved or None): the Airbnb issue opened last Thursday, the 2FA one yesterday,
# the widget one opened and resolved last week — so the handover lists what changed.
ISSUE_TIMES = {
    "airbnb-sync": (lambda: _last_week(3, 11), None),
    "2fa-sms": (lambda: timezone.now() - dt.timedelta(days=1), None),
    "widget-prices": (lambda: _last_week(0, 10), lambda: _last_week(2, 15)),
}


def _issue(by, short: str, title: str, status: str, subject: str, count: int, post: str, text: str) -> int:
    if KnownIssue.objects.filter(short_name=short).exists():
        return 0
    opened, resolved = ISSUE_TIMES.get(short, (timezone.now, None))
    with demo_clock.at(opened()):
        ki = known_issues.create_known_issue(
            by,
            title=title,
            short_name=short,
            external_url=f"https://github.com/example/helpdesk/issues/{100 + len(short)}",
            status=status if status != KnownIssue.Status.RESOLVED else "known",
        )
        if post != KnownIssue.Post.NONE:
            known_issues.set_status_post(ki, by, post=post, text=text)
    candidates = (
        Ticket.objects.filter(subject=subject, status__in=UNFINISHED_STATUSES)
        .exclude(pk__in=KnownIssueLink.objects.values("ticket_id"))
        .order_by("id")[:count]
    )
    for ticket in candidates:  # linked by the agent who answered it, just after that answer
        with demo_clock.at(max(ki.created_at, ticket.updated_at) + dt.timedelta(minutes=3)):
            known_issues.link_ticket(ticket, ki, by)
    if status == KnownIssue.Status.RESOLVED:
        with demo_clock.at(resolved() if resolved else timezone.now()):
            known_issues.resolve_known_issue(ki, by)
    return 1


def _oncall_page(users: dict) -> int:
    """An emergency T3 escalated to on-call a quarter of an hour ago: the page waits for acknowledgement."""
    contact = Contact.objects.filter(is_authorised=True).order_by("-id").first()
    eng, confirmer = users.get("eng1"), users.get("agent3")
    if contact is None or eng is None or Ticket.objects.filter(subject=PAGE_SUBJECT).exists():
        return 0
    now = timezone.now()
    with demo_clock.at(now - dt.timedelta(minutes=28)):
        ticket = core.open_ticket(
            contact, PAGE_SUBJECT, PAGE_BODY, kind=Kind.INCIDENT, priority=Priority.URGENT
        )
    with demo_clock.at(now - dt.timedelta(minutes=24)):
        ticket = tickets_demo.approve(ticket, users.get("lead") or eng, Tier.T3, eng)
    with demo_clock.at(now - dt.timedelta(minutes=15)):
        escalate.escalate_up(
            ticket,
            eng,
            to_tier=Tier.ONCALL,
            questions=PAGE_QUESTIONS,
            findings="Gateway status page is green; our logs show timeouts from the gateway for every call.",
            not_a_known_issue=True,
            confirmed_by=confirmer,
        )
    return 1

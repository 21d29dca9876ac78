"""Core demo data: organizations with authorised and unauthorised contacts, staff in every role and tier,
eight weeks of finished support work, and the live board of ``demo_story`` — all written through the real
services at the moment it would have happened (``demo_clock``), relative to now, so every screen is
current whenever the demo is seeded. Idempotent: a second run finds the data and does nothing."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import demo_clock, demo_text, services
from .demo_story import LIVE, Live
from .models import (
    Contact,
    Kind,
    Notification,
    Organization,
    Priority,
    Status,
    Team,
    Ticket,
    Tier,
)

DEMO_PASSWORD = "demo"
STAFF = [
    # username, first, last, role, team slug
    ("admin", "Ada", "Admin", "Admin", None),
    ("manager", "Rex", "Manager", "Manager", "helpdesk"),
    ("lead", "Tara", "Lead", "Triage lead", "helpdesk"),
    ("agent1", "Alex", "One", "Agent", "helpdesk"),
    ("agent2", "Blair", "Two", "Agent", "helpdesk"),
    ("agent3", "Casey", "Three", "Agent", "helpdesk"),
    ("agent4", "Devon", "Four", "Agent", "helpdesk"),
    ("eng1", "Eli", "Engineer", "Agent", "helpdesk"),
    ("eng2", "Fran", "Architect", "Agent", "architecture"),
    ("engage1", "Gale", "Engagement", "Agent", "engagement"),
    ("paul", "Paul", "Hall", "Agent", "marketing"),
]
ORGS = ["Blue Lake Rentals", "Harbour View Cottages", "Pine Ridge Lodges", "Sunset Villas", "Cedar Cabins"]
SUBJECTS = list(demo_text.FIRST_MESSAGES)
AGENTS = ("agent1", "agent2", "agent3", "agent4", "eng1", "eng2")
HISTORY_DAYS = 56  # eight weeks of finished work: the dashboard's trend and last week's handover
HISTORY_PER_DAY = ((7, 10), (21, 6), (HISTORY_DAYS, 3))  # (up to days back, tickets per working day)
HISTORY_TIERS = [Tier.T1] * 12 + [Tier.T2] * 5 + [Tier.T3] * 2 + [Tier.T4]
GREEN_HOURS = {Tier.T1: 2.0, Tier.T2: 8.0, Tier.T3: 8.0, Tier.T4: 16.0}


TEAM_NAMES = {"architecture": "Architecture", "engagement": "Engagement", "marketing": "Marketing"}


def logins() -> list[tuple[str, str]]:
    """(username, what they are) of every demo login, for the start banner."""
    rows = []
    for username, _first, _last, role, team in STAFF:
        what = f"{role}, {TEAM_NAMES[team]} team" if team in TEAM_NAMES else role
        rows.append((username, what + (" — Django admin at /admin/" if role == "Admin" else "")))
    rows.append(("customer", f"Requester portal of {ORGS[0]}"))
    return rows


def seed(stdout: TextIO, tickets: int = 300, ago: demo_clock.Ago = demo_clock.wall_clock_ago) -> bool:
    """Create the core demo data (at most ``tickets`` finished ones); False when it was already there."""
    if Organization.objects.filter(name=ORGS[0]).exists():
        stdout.write("core demo data already present\n")
        return False
    with transaction.atomic():
        staff = _staff()
        contacts = _orgs(staff)
    rng = random.Random(42)
    history = _history(rng, staff, contacts, tickets)
    for spec in sorted(LIVE, key=lambda s: -s.opened):
        _live(spec, staff, contacts, ago)
    _read_old_notices(timezone.now() - dt.timedelta(hours=12))
    stdout.write(f"core demo data: {history} finished tickets, {len(LIVE)} on the board\n")
    return True


def _staff() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, first, last, role, team in STAFF:
        user = User.objects.create_user(
            username, f"{username}@helpdesk.example", DEMO_PASSWORD, first_name=first, last_name=last
        )
        user.groups.add(Group.objects.get(name=role))
        if role == "Admin":
            user.is_staff = user.is_superuser = True
            user.save()
        if team:
            Team.objects.get(slug=team).members.add(user)
        users[username] = user
    return users


def _orgs(staff: dict) -> list[Contact]:
    contacts = []
    for name in ORGS:
        org = Organization.objects.create(
            name=name, account_manager=staff["engage1"], programme_delivery_manager=staff["manager"]
        )
        slug = name.lower().split()[0]
        contacts.append(
            Contact.objects.create(
                name=f"{name.split()[0]} Owner",
                email=f"owner@{slug}.example",
                organization=org,
                is_authorised=True,
            )
        )
        contacts.append(
            Contact.objects.create(
                name=f"{name.split()[0]} Assistant",
                email=f"assistant@{slug}.example",
                organization=org,
                is_authorised=False,
            )
        )
    # One contact can sign in to the portal.
    User = get_user_model()
    portal = User.objects.create_user(
        "customer", "owner@blue.example", DEMO_PASSWORD, first_name="Blue", last_name="Owner"
    )
    contacts[0].user = portal
    contacts[0].save(update_fields=["user"])
    return contacts


def approve(ticket: Ticket, lead: Any, tier: str, owner: Any) -> Ticket:
    """The triage lead's approval to a tier (the tier's SLA clock starts now)."""
    ticket = services.update_ticket(ticket, lead, tier=tier, assignee=owner)
    Ticket.objects.filter(pk=ticket.pk).update(
        triage_decision="approved", triaged_by=lead, triaged_at=timezone.now()
    )
    return ticket


def _reply(ticket: Ticket, by: Any, body: str, status: str | None = None, promise: Any = None) -> None:
    extras = {"next_update": promise.isoformat()} if promise else {}
    hold_days = 7 if status == Status.HOLD else None
    services.send_reply(ticket, by, body, status=status, hold_days=hold_days, extras=extras)


def _live(spec: Live, staff: dict, contacts: list[Contact], ago: demo_clock.Ago) -> None:
    """One ticket of the live board, step by step at its business-time offsets from now."""
    contact = contacts[spec.contact % len(contacts)]
    owner = staff[spec.owner] if spec.owner else None
    with demo_clock.at(ago(spec.opened * 3600)):
        ticket = services.open_ticket(
            contact,
            spec.subject,
            demo_text.first_message(spec.subject),
            kind=spec.kind,
            priority=spec.priority,
        )
    if spec.approved is None:
        return
    with demo_clock.at(ago(spec.approved * 3600)):
        ticket = approve(ticket, staff["lead"], spec.tier, owner)
    last = spec.approved
    if spec.replied is not None:
        promise = _due_today(spec.promise_hours) if spec.promise_hours else None
        with demo_clock.at(ago(spec.replied * 3600)):
            _reply(ticket, owner or staff["agent3"], demo_text.reply_for(spec.status), spec.status, promise)
        last = spec.replied
    if spec.again is not None:
        with demo_clock.at(ago(spec.again * 3600)):
            services.add_requester_reply(ticket, contact, demo_text.REQUESTER_FOLLOW_UPS[2])
        last = spec.again
    if spec.note:
        with demo_clock.at(ago(max(0.05, min(last - 0.3, 0.8)) * 3600)):  # today: why it is red now
            services.add_note(ticket, owner, spec.note)


def _due_today(hours: float) -> dt.datetime:
    """``hours`` from now, but still today (local) when there is room: promises due today."""
    now = timezone.now()
    end = timezone.localtime(now).replace(hour=23, minute=30, second=0, microsecond=0)
    due = now + dt.timedelta(hours=hours)
    return end if due > end > now + dt.timedelta(minutes=15) else due


def _working_instant(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment of the working day (09:00-16:00 local)."""
    start = dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())
    return start + dt.timedelta(minutes=rng.randint(0, 7 * 60))


def _history(rng: random.Random, staff: dict, contacts: list[Contact], cap: int) -> int:
    """Finished tickets over the last eight weeks' working days (the newest ``cap`` of them), mostly
    answered in the green: busiest last week."""
    today, moments = timezone.localdate(), []
    for back in range(HISTORY_DAYS, 0, -1):
        day = today - dt.timedelta(days=back)
        if day.weekday() < 5:
            per_day = next(n for days, n in HISTORY_PER_DAY if back <= days)
            moments += sorted(_working_instant(rng, day) for _ in range(per_day))
    kept = moments[-cap:] if cap > 0 else []
    for when in kept:
        _finished(rng, staff, rng.choice(contacts), when)
    return len(kept)


def _response_hours(rng: random.Random, tier: str) -> float:
    """How long the tier took to answer: mostly well inside green, sometimes yellow, rarely red."""
    green, roll = GREEN_HOURS[tier], rng.random()
    if roll < 0.86:
        return green * rng.uniform(0.1, 0.6)
    if roll < 0.97:
        return green * rng.uniform(1.1, 1.8)
    return green * rng.uniform(4.5, 5.0)


def _finished(rng: random.Random, staff: dict, contact: Contact, opened: dt.datetime) -> None:
    """One ticket from first message to Resolved (and Closed four days later when that has passed)."""
    subject = rng.choice(SUBJECTS)
    kind = Kind.CHANGE_REQUEST if "change" in subject.lower() else rng.choice(list(Kind.values))
    tier, owner = rng.choice(HISTORY_TIERS), staff[rng.choice(AGENTS)]
    with demo_clock.at(opened):
        ticket = services.open_ticket(
            contact, subject, demo_text.first_message(subject), kind=kind, priority=_priority(rng)
        )
    now = opened + dt.timedelta(minutes=rng.randint(8, 50))
    with demo_clock.at(now):
        ticket = approve(ticket, staff["lead"], tier, owner)
    room = (timezone.now() - now).total_seconds() / 3600  # the whole story must be over by now
    now += dt.timedelta(hours=min(_response_hours(rng, tier), room * 0.3))
    if room < 48 or rng.random() < 0.5:
        resolved = now
        with demo_clock.at(now):
            _reply(ticket, owner, rng.choice(demo_text.FIXED_REPLIES), Status.RESOLVED)
    else:
        resolved = _pending_then_resolved(rng, ticket, owner, contact, now)
    closes = resolved + dt.timedelta(days=4)
    if closes < timezone.now():
        with demo_clock.at(closes):
            services.change_status(ticket, Status.CLOSED, by=None)


def _pending_then_resolved(
    rng: random.Random, ticket: Ticket, owner: Any, contact: Contact, now: dt.datetime
) -> dt.datetime:
    """We answer and wait (sometimes promising an update, kept); the requester confirms; we resolve."""
    promise = now + dt.timedelta(days=1) if rng.random() < 0.25 else None
    with demo_clock.at(now):
        _reply(ticket, owner, rng.choice(demo_text.AGENT_REPLIES), Status.PENDING, promise)
    if promise is not None:
        now += dt.timedelta(hours=rng.uniform(2, 6))
        with demo_clock.at(now):
            _reply(ticket, owner, demo_text.UPDATE_REPLY, Status.PENDING)
    now += dt.timedelta(hours=rng.uniform(1, 20))
    with demo_clock.at(now):
        services.add_requester_reply(ticket, contact, demo_text.REQUESTER_FOLLOW_UPS[3])
    now += dt.timedelta(minutes=rng.randint(10, 90))
    with demo_clock.at(now):
        _reply(ticket, owner, demo_text.CLOSING_REPLY, Status.RESOLVED)
    return now


def _priority(rng: random.Random) -> str:
    return rng.choices(list(Priority.values), weights=(2, 6, 2, 1))[0]


def _read_old_notices(before: dt.datetime) -> None:
    """The team read last week's in-app notices at the time: only today's are unread."""
    Notification.objects.filter(
        channel=Notification.Channel.IN_APP, created_at__lt=before, read_at__isnull=True
    ).update(read_at=before)

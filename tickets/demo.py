"""Core demo data: organizations with authorised and unauthorised contacts, staff in every role and tier,
and a few hundred tickets in every status. Idempotent: a second run finds the data and does nothing."""

from __future__ import annotations

import datetime as dt
import random
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import demo_text, services
from .models import Contact, Kind, Message, Organization, Priority, Status, Team, Ticket, Tier

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
SUBJECTS = [
    "Calendar not syncing with Airbnb",
    "Guest cannot complete payment",
    "Please change our cancellation policy",
    "Invoice looks wrong this month",
    "Two-factor code never arrives",
    "Locked out of my account",
    "Add a new property to our account",
    "Owner statement missing bookings",
    "Booking import failed",
    "Website widget shows wrong prices",
    "Feature request: bulk edit rates",
    "Email templates not sending",
    "VRBO listing delisted",
    "Refund did not go through",
    "Change the account owner email",
]


def seed(stdout: TextIO, tickets: int = 300) -> bool:
    """Create the core demo data; returns False when it was already there."""
    if Organization.objects.filter(name=ORGS[0]).exists():
        stdout.write("core demo data already present\n")
        return False
    with transaction.atomic():
        staff = _staff()
        contacts = _orgs(staff)
    rng = random.Random(42)
    _tickets(rng, staff, contacts, tickets)
    stdout.write(f"core demo data: {Ticket.objects.count()} tickets\n")
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


def _tickets(rng: random.Random, staff: dict, contacts: list[Contact], count: int = 300) -> None:
    agents = [staff[u] for u in ("agent1", "agent2", "agent3", "agent4", "eng1", "eng2")]
    tiers = (
        [Tier.TRIAGE] * 4 + [Tier.T1] * 4 + [Tier.T2] * 3 + [Tier.T3] * 2 + [Tier.T4, Tier.T5, Tier.ONCALL]
    )
    statuses = [Status.OPEN] * 6 + [
        Status.PENDING,
        Status.WAITING,
        Status.HOLD,
        Status.REVIEW,
        Status.RESOLVED,
        Status.CLOSED,
    ]
    now = timezone.now()
    for i in range(count):
        contact = rng.choice(contacts)
        kind = Kind.CHANGE_REQUEST if i % 7 == 0 else rng.choice(list(Kind.values))
        subject = rng.choice(SUBJECTS)
        ticket = services.open_ticket(
            contact,
            subject,
            demo_text.first_message(subject),
            kind=kind,
            priority=rng.choice(list(Priority.values)),
        )
        tier = rng.choice(tiers)
        status = rng.choice(statuses) if tier != Tier.TRIAGE else Status.OPEN
        agent = rng.choice(agents)
        if tier != Tier.TRIAGE:
            ticket = services.update_ticket(
                ticket, staff["lead"], tier=tier, assignee=agent if rng.random() < 0.7 else None
            )
            Ticket.objects.filter(pk=ticket.pk).update(
                triage_decision="approved", triaged_by=staff["lead"], triaged_at=now
            )
            for who, body in demo_text.conversation(rng, rng.randint(0, 4)):
                if who == "requester":
                    services.add_requester_reply(ticket, contact, body)
                else:
                    services.add_reply(ticket, agent, body, internal=who == "note")
        if status != Status.OPEN:
            services.add_reply(
                ticket,
                agent,
                "Thanks for reaching out — here is what to do next.",
                status=Status.PENDING if status == Status.CLOSED else status,
                hold_days=rng.randint(1, 5) if status == Status.HOLD else None,
            )
            if status == Status.CLOSED:
                services.change_status(ticket, Status.RESOLVED, by=agent)
                services.change_status(ticket, Status.CLOSED, by=agent)
        # Spread ages over the last three weeks, and the conversation over the ticket's life, in order;
        # some timers become due soon after start.
        age = dt.timedelta(hours=rng.randint(1, 24 * 21))
        Ticket.objects.filter(pk=ticket.pk).update(created_at=now - age)
        ids = list(Message.objects.filter(ticket=ticket).order_by("id").values_list("id", flat=True))
        for n, pk in enumerate(ids):
            Message.objects.filter(pk=pk).update(created_at=now - age + age * n / (len(ids) + 1))
        if i % 25 == 0:
            Ticket.objects.filter(pk=ticket.pk, next_action_at__isnull=False).update(
                next_action_at=now + dt.timedelta(minutes=rng.randint(1, 10))
            )

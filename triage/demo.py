"""Triage demo data: change requests from contacts who are not authorised (flagged in the queue), one
with a pending confirmation request and one already confirmed. Idempotent: keyed on the subjects."""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tickets import demo_clock
from tickets import services as ticket_services
from tickets.models import Contact, Kind, Ticket

from . import services
from .models import AuthorisationRequest

DEMO = [
    (
        "Please remove the old owner from our account",
        "Can you take Jo off our account? They left last month.",
        None,
    ),
    (
        "Change our payout bank details",
        "Our bank changed, please update the payout account to the new one.",
        "pending",
    ),
    (
        "Switch the site to the new domain",
        "We bought a new domain and want the site moved over this week.",
        "confirmed",
    ),
]


MINUTES_AGO = (50, 35, 20)  # when the three requests came in


def seed(stdout: TextIO) -> bool:
    if Ticket.objects.filter(subject=DEMO[0][0]).exists():
        stdout.write("triage demo data already present\n")
        return False
    lead = get_user_model().objects.filter(groups__name="Triage lead").order_by("id").first()
    unauthorised = list(
        Contact.objects.filter(is_authorised=False, organization__isnull=False).order_by("id")[:3]
    )
    if lead is None or not unauthorised:
        stdout.write("triage demo skipped: run the core demo first\n")
        return False
    with transaction.atomic():
        for i, (subject, body, state) in enumerate(DEMO):
            contact = unauthorised[i % len(unauthorised)]
            with demo_clock.at(timezone.now() - dt.timedelta(minutes=MINUTES_AGO[i])):
                _one(contact, lead, subject, body, state)
    stdout.write(
        f"triage demo data: {len(DEMO)} unauthorised change requests, "
        f"{AuthorisationRequest.objects.filter(confirmed_at__isnull=True).count()} pending confirmation\n"
    )
    return True


def _one(contact: Contact, lead: Any, subject: str, body: str, state: str | None) -> None:
    ticket = ticket_services.open_ticket(contact, subject, body, kind=Kind.CHANGE_REQUEST)
    authorised = Contact.objects.filter(organization_id=contact.organization_id, is_authorised=True).first()
    if state and authorised is not None:
        req = services.request_authorisation(ticket=ticket, actor=lead, contact=authorised)
        if state == "confirmed":
            services.respond_to_authorisation(token=req.token, confirm=True)

"""Demo (safe to run twice): a partner outage as the playbook handles it (004 "Partner questions") — a
parent problem ticket with a client's report linked as its child, and a side conversation with the
payment provider that answered with its own ticket number. The requesters never see the side thread."""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from tickets import demo as tickets_demo
from tickets import services as ticket_services
from tickets.mailing import new_message_id
from tickets.models import Contact, Tier
from tickets.services import links

from . import services
from .models import SideConversation

PARENT = "Card payments failing since 09:00 (payment provider)"
PARTNER = "api-support@payments-partner.example"


def seed(stdout: TextIO) -> bool:
    if SideConversation.objects.filter(ticket__subject=PARENT).exists():
        stdout.write("partners demo data already present\n")
        return False
    User = get_user_model()
    lead = User.objects.filter(username="lead").first()
    engineer = User.objects.filter(username="eng2").first()
    contacts = list(Contact.objects.filter(organization__isnull=False, is_authorised=True).order_by("id")[:2])
    if lead is None or engineer is None or len(contacts) < 2:
        stdout.write("partners demo skipped: run the core demo first\n")
        return False
    with transaction.atomic():
        parent = ticket_services.open_ticket(
            contacts[0],
            PARENT,
            "None of our guests' card payments go through; they all fail with 'declined'.",
        )
        parent = tickets_demo.approve(parent, lead, Tier.T2, engineer)
        child = ticket_services.open_ticket(
            contacts[1], "Guest says their card was declined", "A guest could not pay for tonight's booking."
        )
        child = tickets_demo.approve(child, lead, Tier.T1, None)
        links.link_tickets(parent, engineer, child, "child")
        side = services.start(
            parent,
            engineer,
            partner_email=PARTNER,
            partner_name="Payments partner",
            subject="Card authorisations failing since 09:00 UTC",
            body="Hello,\n\nSince 09:00 UTC every card authorisation from our account is declined with code "
            "05. Could you check on your side and send us your ticket number?\n\nThanks",
        )
        services.receive(
            side,
            from_email=PARTNER,
            body="We see elevated declines on our gateway and are working on it. Our reference is PP-20931.",
            message_id=new_message_id(),
            inbound=None,
        )
        services.set_partner_ticket(side, engineer, "PP-20931")
    services.send_pending()
    stdout.write(
        f"partners demo data: #{parent.number} with child #{child.number} and a partner side thread\n"
    )
    return True

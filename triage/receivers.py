"""Triage listens to the core: a requester writing again on a ticket triage answered or judged project
work puts it back in front of the triage lead (it would otherwise sit in no queue at all)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F

from tickets import services as ticket_services
from tickets.models import Ticket, Tier, TriageDecision

BACK_TO_TRIAGE = (TriageDecision.ANSWERED, TriageDecision.PROJECT)


def on_requester_replied(ticket: Ticket, at: dt.datetime, **_: Any) -> None:
    if ticket.tier != Tier.TRIAGE or ticket.triage_decision not in BACK_TO_TRIAGE:
        return
    previous = ticket.triage_decision
    Ticket.objects.filter(pk=ticket.pk).update(
        triage_decision="", triaged_by=None, triaged_at=None, version=F("version") + 1
    )
    ticket.triage_decision, ticket.triaged_by, ticket.triaged_at = "", None, None
    ticket.version += 1
    ticket_services.record(ticket, "back_to_triage", None, previous=previous)
    ticket_services.add_system_note(ticket, "The requester wrote again: back to triage for a new decision.")

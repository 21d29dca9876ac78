"""Routing business questions to other teams (004 "Sending to Engagement / Product / Marketing")."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction

from escalation import selectors
from escalation.errors import InvalidInput
from tickets import services as core
from tickets.models import Message, MessageFormat, MessageKind, Ticket

# 004 "Sending to Engagement": the situations that send a ticket there (asked on every send).
ENGAGEMENT_REASONS = (
    ("explained_twice", "Explained twice and the client still isn't getting it"),
    ("bad_news", "Unusually bad news to deliver (best by phone)"),
    ("complicated", "A complicated question needing details they can't easily explain"),
    ("sales", "A sales opportunity"),
    ("prospect", "A prospective client not signed up yet"),
    ("account_closure", "The client mentions closing their account"),
    ("invoice_dispute", "Pushing back on an invoice, not resolved in one email"),
    ("security_l3", "A level-3 security issue"),
)
ENGAGEMENT_REASON_LABELS = dict(ENGAGEMENT_REASONS)
PRODUCT_PREFIX = "**Product**"
_PRODUCT_START = re.compile(r"^\*\*\s*product\s*\*\*", re.IGNORECASE)


def send_to_engagement(
    ticket: Ticket,
    by: Any,
    *,
    note: str = "",
    follow: bool = False,
    member: Any | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Ticket:
    """Team Engagement owns the ticket and the agent assignment is removed (optionally a member of the
    team is assigned — "from within the teams picker"); the sender may follow it to learn from it.
    ``reason`` is one of ENGAGEMENT_REASONS (the screen asks for it; recorded and counted)."""
    if reason and reason not in ENGAGEMENT_REASON_LABELS:
        raise InvalidInput(f"Unknown reason {reason!r} for sending to Engagement.", field="reason")
    team = selectors.team_by_slug("engagement")
    if member is not None and not team.members.filter(pk=member.pk).exists():
        raise InvalidInput("Pick a member of the Engagement team, or leave it to the team.", field="member")
    with transaction.atomic():
        locked = core.lock(ticket, expected_version)
        if follow:
            core.set_following(locked, by, True)
        locked = core.route_to_team(locked, by, team, note=note)
        if member is not None:
            locked = core.update_ticket(locked, by, assignee=member)
        if reason:
            core.add_reply(
                locked,
                by,
                f"Reason: {ENGAGEMENT_REASON_LABELS[reason]}.",
                internal=True,
                kind=MessageKind.NOTE,
            )
        core.record(
            locked,
            "sent_to_engagement",
            by,
            follow=follow,
            member=getattr(member, "pk", None),
            reason=reason or None,
        )
    return locked


def product_note(body: str) -> str:
    """The note must start with **Product** in bold (004); added when the writer left it out."""
    body = (body or "").strip()
    if _PRODUCT_START.match(body):
        return PRODUCT_PREFIX + _PRODUCT_START.sub("", body, count=1)
    return f"{PRODUCT_PREFIX}\n{body}"


def notify_product(ticket: Ticket, by: Any, *, note: str, expected_version: int | None = None) -> Ticket:
    """Check "Notify Product" and explain why in an internal note starting with **Product**."""
    if not (note or "").strip() or not _PRODUCT_START.sub("", note.strip()).strip():
        raise InvalidInput("Explain in the note why Product needs to be aware of this.", field="note")
    with transaction.atomic():
        locked = core.lock(ticket, expected_version)
        written = core.add_reply(locked, by, product_note(note), internal=True, kind=MessageKind.NOTE)
        Message.objects.filter(pk=written.pk).update(format=MessageFormat.MARKDOWN)  # "**Product**" is bold
        locked = core.update_ticket(locked, by, notify_product=True)
        core.record(locked, "product_notified", by)
    return locked


def send_to_marketing(
    ticket: Ticket,
    by: Any,
    *,
    note: str,
    done: bool = False,
    lead: Any | None = None,
    expected_version: int | None = None,
) -> Ticket:
    """Ongoing work: the Marketing lead follows the ticket, with a note mentioning them. Finished work
    (``done``): the note, then the ticket is assigned to Marketing / the lead."""
    if not (note or "").strip():
        raise InvalidInput("Explain in the note why Marketing needs to be aware of this.", field="note")
    lead = selectors.marketing_lead(lead)
    name = lead.get_full_name() or lead.get_username()
    with transaction.atomic():
        locked = core.lock(ticket, expected_version)
        core.add_reply(locked, by, f"@{name} {note.strip()}", internal=True, kind=MessageKind.NOTE)
        if done:
            locked = core.update_ticket(locked, by, team=selectors.team_by_slug("marketing"), assignee=lead)
        else:
            core.set_following(locked, lead, True)
        core.record(locked, "sent_to_marketing", by, lead=lead.pk, done=done)
    return locked

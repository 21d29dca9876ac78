"""Last week's escalations for the demo (``escalation.demo``): so the handover ("Changing of the Guard")
and the escalation review have a true week to show — two escalations up, one with a hotfix note, one
escalated down again with a Missed Doc Review tag; all answered and resolved, written through the real
services at the moments they happened (``tickets.demo_clock``). Idempotent: keyed on the first subject."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from tickets import demo as tickets_demo
from tickets import demo_clock
from tickets import services as core
from tickets.models import Contact, Kind, Status, Ticket, Tier

from .services import escalate


@dataclass(frozen=True)
class Story:
    subject: str
    body: str
    weekday: int  # of last week, Monday = 0
    first: str  # T1/T2 owner
    up_to: str
    engineer: str
    question: str
    note: str = ""  # the engineer's internal note (a hotfix) before answering
    down_note: str = ""  # set: the engineer escalates back down with Missed Doc Review instead


STORIES = (
    Story(
        "Owner statement totals don't match the payouts",
        "The October owner statement for Harbour House says 4,120 but the payout was 3,980.",
        0,
        "agent1",
        Tier.T2,
        "agent3",
        "Statement total and payout differ by 140 for Harbour House in October: which fee is missing?",
    ),
    Story(
        "Booking widget times out on mobile",
        "Guests on phones get a spinning wheel and then 'timeout' on our booking widget since Tuesday.",
        1,
        "agent3",
        Tier.T3,
        "eng1",
        "Widget requests time out after 10 s on mobile only since Tuesday's release: CDN or our API?",
        note="Hotfix 4.12.1 deployed: the widget's API timeout is back to 30 s; partner ticket CDN-2291 "
        "with the CDN closed.",
    ),
    Story(
        "Guests can't open the house rules PDF",
        "The house rules link in our confirmation email gives guests an error page.",
        3,
        "agent4",
        Tier.T3,
        "eng1",
        "House rules PDF link in the confirmation email answers 403 for guests: permissions or expired link?",
        down_note="The link expires after 7 days by design; the help article on confirmation emails "
        "explains how to switch on permanent links. Please answer with that article.",
    ),
)


def seed(users: dict[str, Any]) -> int:
    """Write last week's escalation stories; returns how many were added."""
    contact = Contact.objects.filter(is_authorised=True).order_by("id").first()
    needed = {"lead", "agent1", "agent3", "agent4", "eng1"}
    if contact is None or not needed <= set(users) or Ticket.objects.filter(subject=STORIES[0].subject):
        return 0
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday() + 7)
    for story in STORIES:
        day = monday + dt.timedelta(days=story.weekday)
        start = dt.datetime.combine(day, dt.time(9, 40), tzinfo=timezone.get_current_timezone())
        _story(story, users, contact, start)
    return len(STORIES)


def _story(story: Story, users: dict[str, Any], contact: Contact, start: dt.datetime) -> None:
    first, engineer = users[story.first], users[story.engineer]
    steps = iter(start + dt.timedelta(minutes=m) for m in (0, 15, 50, 120, 200, 260, 300))
    with demo_clock.at(next(steps)):
        ticket = core.open_ticket(contact, story.subject, story.body, kind=Kind.BUG)
    tier = Tier.T1 if story.up_to == Tier.T2 else Tier.T2
    with demo_clock.at(next(steps)):
        ticket = tickets_demo.approve(ticket, users["lead"], tier, first)
    with demo_clock.at(next(steps)):
        escalate.escalate_up(
            ticket, first, to_tier=story.up_to, questions=[story.question], not_a_known_issue=True
        )
        ticket = core.update_ticket(Ticket.objects.get(pk=ticket.pk), users["lead"], assignee=engineer)
    if story.note:
        with demo_clock.at(next(steps)):
            core.add_note(ticket, engineer, story.note)
    answerer = engineer
    if story.down_note:
        with demo_clock.at(next(steps)):
            ticket = escalate.escalate_down(
                ticket,
                engineer,
                to_tier=tier,
                note=story.down_note,
                doc_url=f"{settings.HELPDESK_BASE_URL}/help/",
                missed_doc_review=True,
            )
        answerer = first
    with demo_clock.at(next(steps)):
        core.send_reply(
            Ticket.objects.get(pk=ticket.pk),
            answerer,
            "We found the cause and fixed it — please check again. I'll mark this as solved; just reply if "
            "anything still looks off.",
            status=Status.RESOLVED,
        )
    closes = next(steps) + dt.timedelta(days=4)
    if closes < timezone.now():
        with demo_clock.at(closes):
            core.change_status(Ticket.objects.get(pk=ticket.pk), Status.CLOSED, by=None)

"""Band warnings (issue #5 §4): yellow → the assignee (the tier lead when nobody owns the ticket),
red → the tier lead (the assignee when the tier has no lead). One in-app notice per (clock, band): the
outbox's unique dedupe key makes a second job run, a second worker or a resume after a pause a no-op."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from tickets.models import Notification, SlaBand, Ticket, TicketEvent

from .models import SlaPolicy

log = logging.getLogger(__name__)

TEXT = {
    SlaBand.YELLOW: "#{number} {subject} has turned yellow: answer it before it goes red.",
    SlaBand.RED: "#{number} {subject} is red: its {tier} SLA has been missed.",
}


@dataclass(frozen=True)
class BandChange:
    ticket_id: int
    number: int
    subject: str
    tier: str
    assignee_id: int | None
    old: str
    new: str
    clock_id: int | None
    deadline_ts: int


FALLBACK = "*"  # no lead and no owner: a manager hears it, so no ticket turns red unnoticed


def tier_leads() -> dict[str, int]:
    """tier → lead user id, from the tier's any-priority policy; plus the fallback manager."""
    from django.contrib.auth import get_user_model

    from helpdesk.permissions import MANAGER

    leads = dict(SlaPolicy.objects.filter(priority="", lead__isnull=False).values_list("tier", "lead_id"))
    manager = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MANAGER)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if manager is not None:
        leads[FALLBACK] = manager
    return leads


def recipient(change: BandChange, leads: dict[str, int]) -> int | None:
    lead = leads.get(change.tier)
    if change.new == SlaBand.RED:
        return lead or change.assignee_id or leads.get(FALLBACK)
    return change.assignee_id or lead or leads.get(FALLBACK)


def dedupe_key(ticket_id: int, band: str, clock_id: int | None, deadline_ts: int) -> str:
    cycle = f"clock{clock_id}" if clock_id else f"at{deadline_ts}"
    return f"sla_{band}:{ticket_id}:{cycle}"


def write_all(changes: Iterable[BandChange], leads: dict[str, int]) -> int:
    """Bulk-write one event and (if someone can be told) one notification per band change."""
    changes = list(changes)
    if not changes:
        return 0
    TicketEvent.objects.bulk_create(
        [
            TicketEvent(
                ticket_id=c.ticket_id,
                verb="sla_band_changed",
                data={"old": c.old, "new": c.new, "clock": c.clock_id},
            )
            for c in changes
        ],
        batch_size=1000,
    )
    notes = []
    for c in changes:
        user_id = recipient(c, leads)
        if user_id is None:
            continue
        notes.append(
            Notification.in_app(
                ticket_id=c.ticket_id,
                recipient_user_id=user_id,
                reason=f"sla_{c.new}",
                subject=f"[#{c.number}] {c.subject}"[:250],
                body=TEXT[c.new].format(number=c.number, subject=c.subject, tier=c.tier.upper()),
                dedupe_key=dedupe_key(c.ticket_id, c.new, c.clock_id, c.deadline_ts),
            )
        )
    if notes:
        Notification.objects.bulk_create(notes, batch_size=1000, ignore_conflicts=True)
    return len(notes)


def warn_one(ticket: Ticket, clock_id: int | None, band: str) -> None:
    """The warning for one ticket (used on resume); a no-op when it was already sent for this clock."""
    from tickets import outbox

    change = BandChange(
        ticket.pk, ticket.number, ticket.subject, ticket.tier, ticket.assignee_id, "", band, clock_id, 0
    )
    user_id = recipient(change, tier_leads())
    if user_id is None:
        return
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        outbox.notify_user(
            ticket,
            user,
            f"sla_{band}",
            dedupe_key(ticket.pk, band, clock_id, 0),
            TEXT[band].format(number=ticket.number, subject=ticket.subject, tier=ticket.tier.upper()),
        )

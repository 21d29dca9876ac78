"""Writes of the agent screens: hand back all my tickets, reply drafts, saved views, canned responses,
priority review, "Take it" and read notices. Ticket changes go through the other service modules (lock,
event, signals)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from tickets.errors import InvalidInput, TicketError, check_body_length
from tickets.models import (
    UNFINISHED_STATUSES,
    CannedResponse,
    Notification,
    Priority,
    ReplyDraft,
    SavedView,
    Ticket,
    TicketSeen,
    Tier,
)
from tickets.selectors import saved_views_key

from .core import lock, record
from .properties import take, update_ticket

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

MAX_SAVED_VIEWS = 50


def hand_back_all(user: User) -> int:
    """Return every unfinished ticket ``user`` owns to its queue (002: "reassign your tickets back to the
    group" at the end of a shift). One ``assignee_changed`` event per ticket; returns how many moved.
    A ticket someone else changed in between is handled on its own and never blocks the others."""
    moved = 0
    for pk in Ticket.objects.filter(assignee=user, status__in=UNFINISHED_STATUSES).values_list(
        "pk", flat=True
    ):
        try:
            with transaction.atomic():
                locked = lock(pk)
                if locked.assignee_id != user.pk:
                    continue
                update_ticket(locked, user, assignee=None)
                moved += 1
        except TicketError:
            log.warning("hand back: ticket %s skipped", pk, exc_info=True)
    return moved


def save_draft(user: User, ticket: Ticket, body: str, internal: bool) -> ReplyDraft | None:
    """Store the unsent reply; an empty box deletes the draft."""
    if not (body or "").strip():
        delete_draft(user, ticket)
        return None
    check_body_length(body)  # refused whole rather than cut: the box keeps the text, the draft says why
    draft, _ = ReplyDraft.objects.update_or_create(
        user=user, ticket=ticket, defaults={"body": body, "internal": bool(internal)}
    )
    return draft


def review_priority(
    ticket: Ticket, by: User | None, priority: str, *, expected_version: int | None = None
) -> Ticket:
    """Review the priority (000 "Priority"): change it when different and always record that it was
    reviewed — confirming an unchanged priority clears the "review priority" flag too."""
    if priority not in Priority.values:
        raise InvalidInput(f"Unknown priority {priority!r}.", field="priority")
    with transaction.atomic():
        locked = update_ticket(ticket, by, expected_version=expected_version, priority=priority)
        record(locked, "priority_reviewed", by, priority=priority)
    return locked


def mark_notices_read(user: User, ticket: Ticket | None = None) -> int:
    """Nudges are read once the agent has opened their ticket (or all at once from My work)."""
    qs = Notification.objects.filter(recipient_user=user, read_at__isnull=True)
    if ticket is not None:
        qs = qs.filter(ticket=ticket)
    return qs.update(read_at=timezone.now())


def mark_seen(user: User, ticket: Ticket) -> None:
    """The agent has the ticket open now (one upsert): the queues stop marking it new for them."""
    TicketSeen.objects.bulk_create(
        [TicketSeen(user=user, ticket=ticket, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "ticket"],
        update_fields=["seen_at"],
    )


def take_approved(ticket: Ticket, by: User | None, *, expected_version: int | None = None) -> Ticket:
    """ "Take it" (002: "If a ticket is Approved and unassigned, take ownership"): not while it waits for
    the triage decision — a triage lead approves (or reroutes) every new ticket first."""
    if ticket.tier == Tier.TRIAGE:
        raise InvalidInput(
            "This ticket is waiting for triage: a triage lead approves it first, then it can be taken."
        )
    return take(ticket, by, expected_version=expected_version)


def delete_draft(user: User, ticket: Ticket) -> None:
    ReplyDraft.objects.filter(user=user, ticket=ticket).delete()


def save_view(user: User, name: str, queue: str, params: dict[str, str]) -> SavedView:
    """Save (or overwrite by name) the user's current queue filters."""
    name = (name or "").strip()[:80]
    if not name:
        raise InvalidInput("Give the view a name.", field="name")
    keep = {
        k: v
        for k, v in params.items()
        if k in ("status", "priority", "band", "tag", "assignee", "org", "q", "sort") and v
    }
    if (
        not SavedView.objects.filter(user=user, name=name).exists()
        and SavedView.objects.filter(user=user).count() >= MAX_SAVED_VIEWS
    ):
        raise InvalidInput(f"You already have {MAX_SAVED_VIEWS} saved views; delete one first.", field="name")
    view, _ = SavedView.objects.update_or_create(
        user=user, name=name, defaults={"queue": queue[:60], "query": urlencode(sorted(keep.items()))[:500]}
    )
    cache.delete(saved_views_key(user.pk))
    return view


def delete_view(user: User, pk: int) -> bool:
    deleted = SavedView.objects.filter(user=user, pk=pk).delete()[0] > 0
    cache.delete(saved_views_key(user.pk))
    return deleted


def save_canned(
    by: User | None, title: str, body: str, *, is_active: bool = True, instance: CannedResponse | None = None
) -> CannedResponse:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise InvalidInput("A canned response needs a title.", field="title")
    if not body:
        raise InvalidInput("A canned response needs a text.", field="body")
    clash = CannedResponse.objects.filter(title=title).exclude(pk=getattr(instance, "pk", None))
    if clash.exists():
        raise InvalidInput("Another canned response has this title.", field="title")
    canned = instance or CannedResponse(created_by=by)
    canned.title, canned.body, canned.is_active = title[:120], body, is_active
    canned.save()
    return canned

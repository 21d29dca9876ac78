"""Links between tickets (issue #16 §5): related, parent/child; resolving a parent together with its
children, each child through the normal reply / status services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from tickets import canned
from tickets.errors import InvalidInput
from tickets.models import UNFINISHED_STATUSES, LinkKind, Status, Ticket, TicketLink, Tier

from .conversation import send_reply
from .core import lock, record
from .status import change_status

# What the *other* ticket is to this one, as the screens and the API name it.
RELATIONS = {"related": "Related", "child": "Child", "parent": "Parent"}
MAX_DEPTH = 50


def _ancestors(ticket_pk: int) -> set[int]:
    found: set[int] = set()
    current = ticket_pk
    for _ in range(MAX_DEPTH):
        parent = (
            TicketLink.objects.filter(to_ticket_id=current, kind=LinkKind.PARENT)
            .values_list("from_ticket_id", flat=True)
            .first()
        )
        if parent is None or parent in found:
            break
        found.add(parent)
        current = parent
    return found


def _check(ticket: Ticket, other: Ticket, relation: str) -> tuple[Ticket, Ticket, str]:
    """(from, to, kind) for the new link, or InvalidInput saying why not."""
    if relation not in RELATIONS:
        raise InvalidInput(f"Unknown link type {relation!r}.", field="relation")
    if other.pk == ticket.pk:
        raise InvalidInput("A ticket cannot be linked to itself.", field="number")
    pair = Q(from_ticket=ticket, to_ticket=other) | Q(from_ticket=other, to_ticket=ticket)
    if TicketLink.objects.filter(pair).exists():
        raise InvalidInput(f"#{ticket.number} and #{other.number} are already linked.", field="number")
    if relation == "related":
        return ticket, other, LinkKind.RELATED
    parent, child = (ticket, other) if relation == "child" else (other, ticket)
    if TicketLink.objects.filter(to_ticket=child, kind=LinkKind.PARENT).exists():
        raise InvalidInput(f"#{child.number} already has a parent ticket.", field="number")
    if child.pk in _ancestors(parent.pk):
        raise InvalidInput(f"#{child.number} is already above #{parent.number}.", field="number")
    return parent, child, LinkKind.PARENT


def link_tickets(ticket: Ticket, by: Any, other: Ticket, relation: str) -> TicketLink:
    """Link ``other`` to ``ticket`` as its ``relation`` (related / child / parent); an event on both."""
    with transaction.atomic():
        first, second = sorted((ticket.pk, other.pk))
        lock(first), lock(second)  # in id order, so two people linking the same pair cannot deadlock
        source, target, kind = _check(ticket, other, relation)
        link = TicketLink.objects.create(from_ticket=source, to_ticket=target, kind=kind, created_by=by)
        record(ticket, "linked", by, number=other.number, relation=relation)
        back = {"related": "related", "child": "parent", "parent": "child"}[relation]
        record(other, "linked", by, number=ticket.number, relation=back)
    return link


def unlink_tickets(ticket: Ticket, by: Any, link_id: int) -> None:
    with transaction.atomic():
        link = (
            TicketLink.objects.filter(Q(from_ticket=ticket) | Q(to_ticket=ticket), pk=link_id)
            .select_related("from_ticket", "to_ticket")
            .first()
        )
        if link is None:
            raise InvalidInput("That link no longer exists.")
        other = link.to_ticket if link.from_ticket_id == ticket.pk else link.from_ticket
        link.delete()
        record(ticket, "unlinked", by, number=other.number)
        record(other, "unlinked", by, number=ticket.number)


def open_children(ticket: Ticket) -> list[Ticket]:
    return list(
        Ticket.objects.filter(
            links_in__from_ticket=ticket, links_in__kind=LinkKind.PARENT, status__in=UNFINISHED_STATUSES
        )
        .select_related("requester", "organization")
        .order_by("number")
    )


def resolve_with_children(
    parent: Ticket, by: Any, body: str = "", *, expected_version: int | None = None
) -> list[int]:
    """Resolve the parent and every unfinished child in one transaction. With ``body`` each child's
    requester gets it as a public reply (placeholders filled per child) sent with the status Resolved.
    Returns the children's numbers; any error undoes all of it."""
    with transaction.atomic():
        locked = lock(parent, expected_version)
        children = open_children(locked)
        if not children:
            raise InvalidInput("This ticket has no open child tickets.")
        waiting = [c.number for c in children if c.tier == Tier.TRIAGE] if body.strip() else []
        if waiting:  # triage first (issue #15 item 14): no public reply before the triage decision
            raise InvalidInput(
                "Child ticket " + ", ".join(f"#{n}" for n in waiting) + " is still waiting for triage, "
                "so it cannot be answered yet: have it triaged first, or resolve without a reply."
            )
        for child in children:
            if body.strip():
                send_reply(child, by, canned.render(body, child, by), status=Status.RESOLVED)
            else:
                change_status(child, Status.RESOLVED, by=by, note=f"Resolved with parent #{locked.number}.")
        if locked.status in UNFINISHED_STATUSES:
            change_status(locked, Status.RESOLVED, by=by)
        record(locked, "children_resolved", by, children=[c.number for c in children])
    return [c.number for c in children]

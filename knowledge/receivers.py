"""How the knowledge base follows the tickets app (domain signals, DESIGN §9): citations recorded when a
public reply is sent, the rating email when a ticket is resolved, proposals from the "Proposed User Doc"
/ "Proposed Internal Doc" tags, and "Missed Doc Review" pointing at the article. Connected in
``helpdesk/wiring.py``; errors propagate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tickets.models import Status

from . import ratings, services
from .models import Proposal

PROPOSAL_TAGS = {
    "Proposed User Doc": Proposal.Kind.USER_DOC,
    "Proposed Internal Doc": Proposal.Kind.INTERNAL_DOC,
}
MISSED_DOC_REVIEW = "Missed Doc Review"


def on_public_reply(sender: Any, ticket: Any, message: Any, **kwargs: Any) -> None:
    services.record_citations(message)


def on_status_changed_many(
    sender: Any, tickets: Sequence[Any], olds: Sequence[str], new: str, **kwargs: Any
) -> None:
    if new == Status.RESOLVED:
        ratings.ask_for_rating_many(
            [t for t, old in zip(tickets, olds, strict=True) if old != Status.RESOLVED]
        )


def on_events(sender: Any, recorded: Sequence[tuple[Any, Any, Any]], **kwargs: Any) -> None:
    for ticket, _by, event in recorded:
        on_event(ticket, event)


def on_event(ticket: Any, event: Any) -> None:
    """A TicketEvent: a "Proposed User/Internal Doc" tag becomes a proposal from the latest staff answer;
    escalating down with "Missed Doc Review" and a link to an article records that article."""
    data = event.data or {}
    if event.verb == "tag_added" and data.get("tag") in PROPOSAL_TAGS:
        from tickets.models import Message

        name = data["tag"]
        answer = (
            Message.objects.filter(ticket=ticket, author_user__isnull=False)
            .order_by("-created_at", "-id")
            .first()
        )
        services.propose(
            None, PROPOSAL_TAGS[name], ticket=ticket, message=answer, note=f"Tagged \u201c{name}\u201d."
        )
    elif (
        event.verb == "de_escalated" and MISSED_DOC_REVIEW in (data.get("tags") or []) and data.get("doc_url")
    ):
        services.record_missed_doc(ticket, data["doc_url"])

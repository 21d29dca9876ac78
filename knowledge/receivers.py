"""How the knowledge base follows the tickets app (domain signals, DESIGN §9): citations recorded when a
public reply is sent, the rating email when a ticket is resolved, proposals from the "Proposed User Doc"
/ "Proposed Internal Doc" tags, and "Missed Doc Review" pointing at the article. Errors propagate."""

from __future__ import annotations

from typing import Any

from tickets.models import Status

from . import ratings, services
from .models import Proposal

PROPOSAL_TAGS = {
    "Proposed User Doc": Proposal.Kind.USER_DOC,
    "Proposed Internal Doc": Proposal.Kind.INTERNAL_DOC,
}
MISSED_DOC_REVIEW = "Missed Doc Review"
PANEL = "knowledge/panels/suggested_docs.html"


def on_public_reply(sender: Any, ticket: Any, message: Any, **kwargs: Any) -> None:
    services.record_citations(message)


def on_status_changed(sender: Any, ticket: Any, new: str, old: str, **kwargs: Any) -> None:
    if new == Status.RESOLVED and old != Status.RESOLVED:
        ratings.ask_for_rating(ticket)


def on_tags_changed(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    from tickets.models import Message, Tag, Ticket

    if action != "post_add" or not isinstance(instance, Ticket) or not pk_set:
        return
    names = set(Tag.objects.filter(pk__in=pk_set, name__in=PROPOSAL_TAGS).values_list("name", flat=True))
    if not names:
        return
    answer = (
        Message.objects.filter(ticket=instance, author_user__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )
    for name in sorted(names):
        services.propose(
            None, PROPOSAL_TAGS[name], ticket=instance, message=answer, note=f"Tagged \u201c{name}\u201d."
        )


def on_ticket_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or instance.verb != "de_escalated":
        return
    data = instance.data or {}
    if MISSED_DOC_REVIEW in (data.get("tags") or []) and data.get("doc_url"):
        services.record_missed_doc(instance.ticket, data["doc_url"])


def register_panels() -> None:
    try:
        from tickets.panels import register_panel
    except ImportError:  # the workspace lists its panels in helpdesk/workspace.py
        return
    register_panel(PANEL)

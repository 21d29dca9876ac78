"""Tell people what happened on a ticket: followers, mentions, hand-offs, and the chat hooks. Runs inside
the sender's transaction (``tickets.signals.events_recorded``, a batch of events, connected in
helpdesk/wiring.py); errors are not swallowed."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from tickets.models import Message, Status, Team, Ticket, TicketEvent, Visibility

from . import mentions, webhooks
from .services import notify

log = logging.getLogger(__name__)


def name(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "The helpdesk"
    return user.get_full_name() or user.get_username()


def follower_ids(ticket: Ticket) -> list[int]:
    return list(
        Ticket.followers.through.objects.filter(ticket_id=ticket.pk).values_list("user_id", flat=True)
    )


def team_member_ids(slug: str) -> list[int]:
    return list(
        Team.members.through.objects.filter(team__slug=slug, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def on_events(sender: Any, recorded: Sequence[tuple[Ticket, Any, TicketEvent]], **kwargs: Any) -> None:
    """A batch of events, in order. Status moves (a sweep's chunk) read their followers in one query."""
    moves = [item for item in recorded if item[2].verb == "status_changed"]
    followers = _followers_of([t.pk for t, by, event in moves if _tells_followers(by, event)])
    for ticket, by, event in recorded:
        if event.verb == "status_changed":
            on_status(ticket, by, event, followers.get(ticket.pk, []))
            continue
        handler = HANDLERS.get(event.verb)
        if handler is not None:
            handler(ticket, by, event)


def _followers_of(ticket_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    if ticket_ids:
        rows = Ticket.followers.through.objects.filter(ticket_id__in=ticket_ids).values_list(
            "ticket_id", "user_id"
        )
        for ticket_id, user_id in rows:
            found.setdefault(ticket_id, []).append(user_id)
    return found


def _followers(reason: str, text: str, *, exclude: tuple = ()) -> Any:
    def handle(ticket: Ticket, by: Any, event: TicketEvent) -> None:
        data = {**event.data, "who": name(by), "number": ticket.number}
        notify(
            follower_ids(ticket),
            reason,
            ticket,
            text.format(**data),
            key=f"{reason}:ev{event.pk}",
            actor=by,
            exclude=[getattr(ticket, f) for f in exclude if getattr(ticket, f, None)],
        )

    return handle


def on_note(ticket: Ticket, by: Any, event: TicketEvent) -> None:
    """Mentions notify the person (who becomes a follower) or the team's members; followers hear the rest."""
    message = Message.objects.filter(pk=event.data.get("message"), visibility=Visibility.INTERNAL).first()
    if message is None:
        return
    found = mentions.resolve(message.body)
    mentioned = [u.pk for u in found.everyone]
    if found.users:
        Ticket.followers.through.objects.bulk_create(
            [Ticket.followers.through(ticket_id=ticket.pk, user_id=u.pk) for u in found.users],
            ignore_conflicts=True,
        )
    text = f"{name(by)} mentioned you in an internal note on #{ticket.number}: {_excerpt(message.body)}"
    notify(mentioned, "mention", ticket, text, key=f"mention:{message.pk}", actor=by)
    notify(
        follower_ids(ticket),
        "followed_note",
        ticket,
        f"{name(by)} added an internal note on #{ticket.number}: {_excerpt(message.body)}",
        key=f"followed_note:ev{event.pk}",
        actor=by,
        exclude=mentioned,
    )


def _tells_followers(by: Any, event: TicketEvent) -> bool:
    # Reopened by the requester's reply (they hear about that) or a timer: not the followers' news.
    return not (by is None and event.data.get("new") == Status.OPEN)


def on_status(ticket: Ticket, by: Any, event: TicketEvent, followers: list[int]) -> None:
    if not followers or not _tells_followers(by, event):
        return
    label = (
        Status(event.data["new"]).label if event.data.get("new") in Status.values else event.data.get("new")
    )
    notify(
        followers,
        "followed_status",
        ticket,
        f"{name(by)} moved #{ticket.number} to {label}.",
        key=f"followed_status:ev{event.pk}",
        actor=by,
    )


def on_product(ticket: Ticket, by: Any, event: TicketEvent) -> None:
    warn = (
        " It is marked as a bug or feature request: Product hand-offs are not for those."
        if ticket.kind
        in (
            "bug",
            "feature_request",
        )
        else ""
    )
    notify(
        team_member_ids("product"),
        "handoff_product",
        ticket,
        f"{name(by)} asked Product to be aware of #{ticket.number} “{ticket.subject}”.{warn}",
        key=f"handoff_product:ev{event.pk}",
        actor=by,
    )


def on_engagement(ticket: Ticket, by: Any, event: TicketEvent) -> None:
    member = event.data.get("member")
    targets = [member] if member else team_member_ids("engagement")
    notify(
        targets,
        "handoff_engagement",
        ticket,
        f"{name(by)} sent #{ticket.number} “{ticket.subject}” to Engagement.",
        key=f"handoff_engagement:ev{event.pk}",
        actor=by,
        # the assigned member already hears "assigned to you"
        exclude=[member] if member and ticket.assignee_id == member else [],
    )


def on_marketing(ticket: Ticket, by: Any, event: TicketEvent) -> None:
    lead = event.data.get("lead")
    if not lead or event.data.get("done"):
        return  # a finished hand-off assigns the lead, who hears "assigned to you"
    note = Message.objects.filter(ticket=ticket, visibility=Visibility.INTERNAL).order_by("-id").first()
    # Same key as the note's @mention: the lead is told once even when the note named them.
    key = f"mention:{note.pk}" if note is not None else f"handoff_marketing:ev{event.pk}"
    notify(
        [lead],
        "handoff_marketing",
        ticket,
        f"{name(by)} asked Marketing to follow #{ticket.number}.",
        key=key,
        actor=by,
    )


def on_tier(ticket: Ticket, by: Any, event: TicketEvent) -> None:
    from .handoffs import PAGING_NOW

    if event.data.get("new") == "oncall" and not PAGING_NOW.get():
        webhooks.emit_ticket(
            "oncall_page", ticket, f"#{ticket.number} was escalated to on-call", key=f"ev{event.pk}"
        )


def on_paged(ticket: Ticket, by: Any, event: TicketEvent) -> None:
    webhooks.emit_ticket(
        "oncall_page",
        ticket,
        f"On-call page for #{ticket.number} (not acknowledged, step {event.data.get('step')})",
        key=f"ev{event.pk}",
    )


def _excerpt(body: str, length: int = 140) -> str:
    flat = " ".join((body or "").split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


HANDLERS = {
    "replied": _followers("followed_reply", "{who} replied to the requester on #{number}."),
    "note_added": on_note,
    "requester_replied": _followers(
        "followed_requester", "The requester wrote again on #{number}.", exclude=("assignee_id",)
    ),
    "assignee_changed": _followers(
        "followed_assignee", "{who} changed who owns #{number}.", exclude=("assignee_id",)
    ),
    "product_notified": on_product,
    "sent_to_engagement": on_engagement,
    "sent_to_marketing": on_marketing,
    "tier_changed": on_tier,
    "oncall_paged": on_paged,
}

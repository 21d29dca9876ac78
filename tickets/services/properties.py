"""A ticket's properties: priority, kind, subject, tier, team, assignee, tags and followers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from tickets import outbox, signals
from tickets.errors import InvalidInput
from tickets.models import (
    PAUSED_STATUSES,
    SUPPORT_TEAM,
    Message,
    MessageKind,
    Priority,
    Status,
    Tag,
    Team,
    Ticket,
    Tier,
    Visibility,
)

from .core import lock, record, save_fields
from .status import transition

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def update_ticket(
    ticket: Ticket, by: User | None, *, expected_version: int | None = None, **changes: Any
) -> Ticket:
    """Change priority, kind, subject, tier, team or assignee; one event per changed field."""
    allowed = {"priority", "kind", "subject", "tier", "team", "assignee", "chargeable", "notify_product"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"Cannot change {', '.join(sorted(unknown))} here.")
    if "priority" in changes and changes["priority"] not in Priority.values:
        raise InvalidInput(f"Unknown priority {changes['priority']!r}.", field="priority")
    if "tier" in changes and changes["tier"] not in Tier.values:
        raise InvalidInput(f"Unknown tier {changes['tier']!r}.", field="tier")
    if "subject" in changes and not (changes["subject"] or "").strip():
        raise InvalidInput("The subject cannot be empty.", field="subject")
    now = timezone.now()
    with transaction.atomic():
        locked = lock(ticket, expected_version)
        changed, olds = [], {}
        for field, value in changes.items():
            old = getattr(locked, f"{field}_id" if field in ("team", "assignee") else field)
            new = getattr(value, "pk", value)
            if old == new:
                continue
            setattr(locked, field, value)
            changed.append(field)
            olds[field] = old
            record(locked, f"{field}_changed", by, old=old, new=new)
        if "tier" in changed:
            locked.tier_entered_at = now
            changed.append("tier_entered_at")
        if changed:
            save_fields(locked, *changed)
        if "tier" in changed:
            signals.tier_changed.send(Ticket, ticket=locked, at=now, by=by, old=olds["tier"], new=locked.tier)
        if "team" in changed and getattr(changes["team"], "slug", SUPPORT_TEAM) != SUPPORT_TEAM:
            # Another team owns it now: it leaves the tier queues, so the tier's SLA stops counting.
            signals.left_queue.send(
                Ticket, ticket=locked, at=now, by=by, reason=f"team:{changes['team'].slug}"
            )
            _reopen_for_team(locked, by, changes["team"])
        if "assignee" in changed and locked.assignee_id and locked.assignee_id != getattr(by, "pk", None):
            outbox.notify_user(
                locked,
                locked.assignee,
                "assigned",
                f"assigned:{locked.pk}:{locked.version}",
                f"#{locked.number} {locked.subject} was assigned to you.",
            )
    return locked


def _reopen_for_team(locked: Ticket, by: User | None, team: Team) -> None:
    """004: "Tickets should remain as Open once escalated or sent to a different department" — a
    Pending / Waiting / On-hold ticket handed to another team goes back to Open, which stops its reminders."""
    if locked.status not in PAUSED_STATUSES:
        return
    old = locked.status
    transition(locked, Status.OPEN, by=by, note=f"Sent to {team.name}: back to Open, reminders stopped.")
    record(locked, "reopened_for_team", by, team=team.slug, old=old)


def take(ticket: Ticket, by: User | None, *, expected_version: int | None = None) -> Ticket:
    return update_ticket(ticket, by, expected_version=expected_version, assignee=by)


TAG_MAX = 100


def set_tags(
    ticket: Ticket, by: User | None, names: list[str], *, expected_version: int | None = None
) -> Ticket:
    cleaned = sorted({n.strip() for n in names if n and n.strip()})
    too_long = [name for name in cleaned if len(name) > TAG_MAX]
    if too_long:  # refused with a word, never cut silently
        raise InvalidInput(
            f"A tag can be at most {TAG_MAX} characters; “{too_long[0][:40]}…” has {len(too_long[0])}.",
            field="tags",
        )
    with transaction.atomic():
        locked = lock(ticket, expected_version)
        current = set(locked.tags.values_list("name", flat=True))
        wanted = set(cleaned)
        for name in wanted - current:
            locked.tags.add(Tag.objects.get_or_create(name=name)[0])
            record(locked, "tag_added", by, tag=name)
        for name in current - wanted:
            locked.tags.remove(Tag.objects.get(name=name))
            record(locked, "tag_removed", by, tag=name)
        save_fields(locked)
    return locked


def add_tag(ticket: Ticket, by: User | None, name: str) -> Ticket:
    current = list(ticket.tags.values_list("name", flat=True))
    return set_tags(ticket, by, [*current, name])


def set_following(ticket: Ticket, user: User, follow: bool) -> None:
    with transaction.atomic():
        locked = lock(ticket)
        (locked.followers.add if follow else locked.followers.remove)(user)
        record(locked, "followed" if follow else "unfollowed", user)


def route_to_team(ticket: Ticket, by: User | None, team: Team, *, note: str = "") -> Ticket:
    """Send to a team: the agent assignment is removed so the team can take it (004 Engagement)."""
    with transaction.atomic():
        locked = update_ticket(ticket, by, team=team, assignee=None)
        if note.strip():
            Message.objects.create(
                ticket=locked,
                author_user=by,
                visibility=Visibility.INTERNAL,
                kind=MessageKind.NOTE,
                body=note.strip(),
            )
    return locked

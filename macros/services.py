"""Macro writes: save, apply, preview (issue #16 §4).

Applying a macro is one transaction that calls the ticket's normal services in a fixed order (note,
properties, team / Engagement, assignee, tags, then the reply with its status), so every rule those
services enforce (status machine, version check, Engagement routing reopening a paused ticket, the
requester's email through the outbox) holds for a macro as for a single change.

The preview *is* the apply: it runs :func:`apply_macro` inside a savepoint, reads what changed and rolls
the savepoint back (the outbox only sends on commit, so nothing leaves the building). What the preview
shows is therefore exactly what applying will do — tested in tests/macros/test_apply.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from escalation.services import routing
from helpdesk.people import display_name
from tickets import canned, services
from tickets.errors import TicketError
from tickets.models import Message, Team, Ticket, Tier, Visibility

from .models import ASSIGN_ME, Macro


class MacroInvalid(TicketError):
    """The macro names something that no longer exists (a deleted team, a departed agent)."""


@dataclass(frozen=True)
class Change:
    what: str
    before: str
    after: str


@dataclass
class Outcome:
    """What a macro did (or, for a preview, would do) to one ticket."""

    changes: list[Change] = field(default_factory=list)
    messages: list[tuple[str, str]] = field(default_factory=list)  # (kind label, text)

    def summary(self) -> str:
        parts = [f"{c.what}: {c.before} → {c.after}" for c in self.changes]
        parts += [kind.lower() for kind, _ in self.messages]
        return "; ".join(parts) if parts else "nothing to change"


@dataclass(frozen=True)
class Targets:
    team: Team | None
    assignee: Any  # a User, or None to leave the assignee alone


def resolve(macro: Macro, by: Any) -> Targets:
    """The team and assignee the macro names, or :class:`MacroInvalid` when one is gone."""
    team = None
    if macro.team_slug:
        team = Team.objects.filter(slug=macro.team_slug).first()
        if team is None:
            raise MacroInvalid(
                f"The macro “{macro.title}” sends the ticket to the team “{macro.team_slug}”, which no "
                "longer exists. Nothing was changed; edit the macro to pick another team.",
                field="team_slug",
            )
    if macro.send_to_engagement and not Team.objects.filter(slug="engagement").exists():
        raise MacroInvalid(
            f"The macro “{macro.title}” sends the ticket to Engagement, but there is no Engagement "
            "team any more. Nothing was changed.",
            field="send_to_engagement",
        )
    assignee = None
    if macro.assignee_username == ASSIGN_ME:
        assignee = by
    elif macro.assignee_username:
        assignee = get_user_model().objects.filter(username=macro.assignee_username, is_active=True).first()
        if assignee is None:
            raise MacroInvalid(
                f"The macro “{macro.title}” assigns the ticket to {macro.assignee_username}, who is no "
                "longer an active member of staff. Nothing was changed; edit the macro.",
                field="assignee_username",
            )
    return Targets(team=team, assignee=assignee)


def _snapshot(ticket_pk: int) -> dict[str, str]:
    t = Ticket.objects.select_related("team", "assignee").get(pk=ticket_pk)
    tags = sorted(t.tags.values_list("name", flat=True))
    return {
        "Status": t.get_status_display(),
        "Priority": t.get_priority_display(),
        "Tier": t.get_tier_display(),
        "Team": t.team.name if t.team else "Support",
        "Owner": display_name(t.assignee, "nobody"),
        "Tags": ", ".join(tags) or "none",
    }


def _last_message_id(ticket_pk: int) -> int:
    last = Message.objects.filter(ticket_id=ticket_pk).order_by("-id").values_list("id", flat=True).first()
    return last or 0


def _outcome(ticket_pk: int, before: dict[str, str], after_message: int) -> Outcome:
    after = _snapshot(ticket_pk)
    changes = [Change(k, before[k], after[k]) for k in before if before[k] != after[k]]
    new = Message.objects.filter(ticket_id=ticket_pk, id__gt=after_message).order_by("id")
    messages = [
        ("Public reply" if m.visibility == Visibility.PUBLIC else "Internal note", m.body) for m in new
    ]
    return Outcome(changes=changes, messages=messages)


def _run(ticket: Ticket, by: Any, macro: Macro, expected_version: int | None) -> None:
    targets = resolve(macro, by)
    locked = services.lock(ticket, expected_version)
    if macro.tier and locked.tier == Tier.TRIAGE:
        raise TicketError(
            f"#{locked.number} is still waiting for triage: a triage lead approves it to a tier first, "
            f"so the macro “{macro.title}” was not applied.",
            field="tier",
        )
    if macro.note.strip():
        services.add_note(locked, by, canned.render(macro.note, locked, by))
    props: dict[str, Any] = {}
    if macro.priority:
        props["priority"] = macro.priority
    if macro.tier:
        props["tier"] = macro.tier
    if props:
        services.update_ticket(locked, by, **props)
    if targets.team is not None:
        services.route_to_team(locked, by, targets.team)
    if macro.send_to_engagement:
        routing.send_to_engagement(locked, by, reason=macro.engagement_reason)
    if targets.assignee is not None:
        services.update_ticket(locked, by, assignee=targets.assignee)
    if macro.tag_names():
        current = list(locked.tags.values_list("name", flat=True))
        services.set_tags(locked, by, [*current, *macro.tag_names()])
    if macro.body.strip():
        services.send_reply(
            locked,
            by,
            canned.render(macro.body, locked, by),
            status=macro.status or None,
            hold_days=macro.hold_days,
        )
    elif macro.status and services.lock(locked).status != macro.status:
        services.change_status(locked, macro.status, by=by, hold_days=macro.hold_days)
    services.record(locked, "macro_applied", by, macro=macro.pk, title=macro.title)


def apply_macro(ticket: Ticket, by: Any, macro: Macro, *, expected_version: int | None = None) -> Outcome:
    """Apply ``macro`` to ``ticket`` in one transaction; any error (a stale version, a status the ticket
    cannot move to, a deleted team) undoes all of it."""
    if not macro.is_active:
        raise MacroInvalid(f"The macro “{macro.title}” is switched off.")
    with transaction.atomic():
        before, last = _snapshot(ticket.pk), _last_message_id(ticket.pk)
        _run(ticket, by, macro, expected_version)
        return _outcome(ticket.pk, before, last)


class _DryRun(Exception):
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


def preview_macro(ticket: Ticket, by: Any, macro: Macro) -> Outcome:
    """What :func:`apply_macro` would change, computed by applying it and rolling back."""
    try:
        with transaction.atomic():
            raise _DryRun(apply_macro(ticket, by, macro))
    except _DryRun as done:
        return done.outcome


MACRO_FIELDS = (
    "title",
    "body",
    "note",
    "status",
    "hold_days",
    "priority",
    "tier",
    "team_slug",
    "assignee_username",
    "add_tags",
    "send_to_engagement",
    "engagement_reason",
    "is_active",
)


def save_macro(by: Any, data: dict[str, Any], *, personal: bool, instance: Macro | None = None) -> Macro:
    """Create or change a macro; ``personal`` makes it the saver's own (else shared with everyone)."""
    macro = instance or Macro(created_by=by)
    for name in MACRO_FIELDS:
        if name in data:
            setattr(macro, name, data[name])
    macro.owner = by if personal else None
    if macro.engagement_reason and macro.engagement_reason not in routing.ENGAGEMENT_REASON_LABELS:
        raise TicketError("Pick one of the listed reasons.", field="engagement_reason")
    try:
        with transaction.atomic():
            macro.save()
    except IntegrityError:
        raise TicketError("A macro with this title already exists.", field="title") from None
    return macro


def describe(macro: Macro) -> list[str]:
    """The macro's actions in words (the manage list and the picker); no queries."""
    out = []
    if macro.body.strip():
        out.append("public reply")
    if macro.note.strip():
        out.append("internal note")
    if macro.status:
        out.append(f"status {macro.get_status_display()}")
    if macro.priority:
        out.append(f"priority {macro.get_priority_display()}")
    if macro.tier:
        out.append(f"tier {macro.get_tier_display()}")
    if macro.team_slug:
        out.append(f"team {macro.team_slug}")
    if macro.send_to_engagement:
        out.append("send to Engagement")
    if macro.assignee_username:
        out.append("take it" if macro.assignee_username == ASSIGN_ME else f"assign {macro.assignee_username}")
    if macro.tag_names():
        out.append("tags " + ", ".join(macro.tag_names()))
    return out

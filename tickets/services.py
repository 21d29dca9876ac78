"""Every write to a ticket goes through here (DESIGN §3, §11): one ``transaction.atomic()`` per change,
the ticket row locked, the move validated, a TicketEvent written, timers recomputed and the domain
signals sent so SLA and escalation follow along in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from playbook import params

from . import outbox, signals
from .errors import IllegalTransition, InvalidInput, StaleTicket
from .models import (
    PAUSED_STATUSES,
    SUPPORT_TEAM,
    Contact,
    Counter,
    Message,
    MessageKind,
    NextAction,
    Priority,
    Status,
    Tag,
    Team,
    Ticket,
    TicketEvent,
    Tier,
    Visibility,
)

# The status machine (DESIGN §3). Any move not listed is illegal; a Closed ticket may only be reopened.
_WORKING = {
    Status.OPEN,
    Status.PENDING,
    Status.WAITING,
    Status.HOLD,
    Status.REVIEW,
    Status.RESOLVED,
    Status.CLOSED,
}
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.OPEN: frozenset(_WORKING - {Status.OPEN}),
    Status.REVIEW: frozenset(_WORKING - {Status.REVIEW}),
    Status.PENDING: frozenset(_WORKING - {Status.PENDING}),
    Status.WAITING: frozenset(_WORKING - {Status.WAITING}),
    Status.HOLD: frozenset(_WORKING - {Status.HOLD}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.REVIEW, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.OPEN}),
}
# A requester reply moves these back to Open (004 "Ticket Statuses").
REOPEN_ON_REPLY = {Status.PENDING, Status.WAITING, Status.HOLD, Status.RESOLVED}
MAX_HOLD_DAYS = 365


def timer_days(ticket: Ticket, key: str) -> int:
    """A timer length in days: the organization's override, else the playbook's value (screen or settings)."""
    org = ticket.organization
    override = getattr(org, key, None) if org is not None else None
    return int(override if override is not None else params.get(key))


def schedule_timer(ticket: Ticket, now: dt.datetime) -> None:
    """Set ``next_action``/``next_action_at`` for the ticket's current status (not saved)."""
    days = None
    action = ""
    if ticket.status == Status.PENDING:
        if ticket.reminders_sent < timer_days(ticket, "pending_reminders"):
            action, days = NextAction.REMIND, timer_days(ticket, "pending_reminder_days")
        else:
            action, days = NextAction.AUTO_RESOLVE, timer_days(ticket, "pending_resolve_days")
    elif ticket.status == Status.RESOLVED:
        action, days = NextAction.AUTO_CLOSE, timer_days(ticket, "resolved_close_days")
    elif ticket.status == Status.WAITING:
        action, days = NextAction.REOPEN, timer_days(ticket, "waiting_reopen_days")
    elif ticket.status == Status.HOLD:
        action, days = NextAction.REOPEN, ticket.hold_days
    ticket.next_action = action
    ticket.next_action_at = now + dt.timedelta(days=days) if action else None


def lock(ticket: Ticket | int, expected_version: int | None = None) -> Ticket:
    """Re-read the ticket with its row locked (call inside ``transaction.atomic``)."""
    pk = ticket if isinstance(ticket, int) else ticket.pk
    locked = (
        Ticket.objects.select_for_update(of=("self",)).select_related("organization", "requester").get(pk=pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleTicket()
    return locked


def record(ticket: Ticket, verb: str, by: Any = None, /, **data: Any) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, actor=by if _is_user(by) else None, verb=verb, data=data)


def _is_user(by: Any) -> bool:
    return by is not None and getattr(by, "is_authenticated", False)


def _save(ticket: Ticket, *fields: str) -> None:
    ticket.version = F("version") + 1
    ticket.save(update_fields=[*fields, "version", "updated_at"])
    ticket.refresh_from_db(fields=["version"])


def next_number(name: str = "ticket") -> int:
    """The next value of a named sequence; the UPDATE holds the row lock until commit."""
    with transaction.atomic():
        Counter.objects.get_or_create(name=name)
        Counter.objects.filter(name=name).update(value=F("value") + 1)
        return Counter.objects.get(name=name).value


# --- creating tickets --------------------------------------------------------------------------------


def open_ticket(
    requester: Contact,
    subject: str,
    body: str,
    *,
    kind: str = "question",
    priority: str = Priority.NORMAL,
    by: Any = None,
    follow_up_of: Ticket | None = None,
    split_from: Ticket | None = None,
) -> Ticket:
    """A new ticket lands in the triage queue (tier = triage, no agent), Open."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise InvalidInput("A ticket needs a subject.", field="subject")
    if not body:
        raise InvalidInput("A ticket needs a description.", field="body")
    if priority not in Priority.values:
        raise InvalidInput(f"Unknown priority {priority!r}.", field="priority")
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            number=next_number(),
            subject=subject[:200],
            requester=requester,
            organization_id=requester.organization_id,
            kind=kind,
            priority=priority,
            tier=Tier.TRIAGE,
            status_changed_at=now,
            tier_entered_at=now,
            follow_up_of=follow_up_of,
            split_from=split_from,
        )
        Message.objects.create(
            ticket=ticket,
            author_contact=None if _is_user(by) else requester,
            author_user=by if _is_user(by) else None,
            body=body,
        )
        record(
            ticket,
            "created",
            by,
            tier=Tier.TRIAGE,
            follow_up_of=getattr(follow_up_of, "number", None),
            split_from=getattr(split_from, "number", None),
        )
        signals.ticket_created.send(Ticket, ticket=ticket, at=now, by=by)
    return ticket


# --- status ------------------------------------------------------------------------------------------


def change_status(
    ticket: Ticket,
    to: str,
    *,
    by: Any = None,
    note: str = "",
    hold_days: Any = None,
    expected_version: int | None = None,
) -> Ticket:
    """Move a ticket to status ``to``; raises InvalidInput/IllegalTransition/StaleTicket, storing nothing."""
    if to not in Status.values:
        raise InvalidInput(f"Unknown status {to!r}.", field="status")
    days = _hold_days(hold_days) if to == Status.HOLD else None
    with transaction.atomic():
        locked = lock(ticket, expected_version)
        transition(locked, to, by=by, note=note, hold_days=days)
    return locked


def _hold_days(raw: Any) -> int:
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput("On hold needs a number of days.", field="hold_days") from None
    if not 1 <= days <= MAX_HOLD_DAYS:
        raise InvalidInput(f"On hold needs between 1 and {MAX_HOLD_DAYS} days.", field="hold_days")
    return days


def transition(
    locked: Ticket, to: str, *, by: Any = None, note: str = "", hold_days: int | None = None
) -> None:
    """The status change itself, on a ticket already locked by the caller."""
    old = locked.status
    if to not in TRANSITIONS[old]:
        raise IllegalTransition(
            f"A ticket that is {Status(old).label} cannot be moved to {Status(to).label}.", field="status"
        )
    now = timezone.now()
    locked.status = to
    locked.status_changed_at = now
    locked.hold_days = hold_days if to == Status.HOLD else None
    if to == Status.PENDING:
        locked.reminders_sent = 0
    if to == Status.RESOLVED:
        locked.resolved_at = now
    if to == Status.CLOSED:
        locked.closed_at = now
    if to == Status.OPEN and old in (Status.RESOLVED, Status.CLOSED):
        locked.resolved_at = locked.closed_at = None
    schedule_timer(locked, now)
    _save(
        locked,
        "status",
        "status_changed_at",
        "hold_days",
        "reminders_sent",
        "resolved_at",
        "closed_at",
        "next_action",
        "next_action_at",
    )
    record(locked, "status_changed", by, old=old, new=to, hold_days=hold_days, note=note or None)
    if note.strip():
        Message.objects.create(
            ticket=locked,
            author_user=by if _is_user(by) else None,
            visibility=Visibility.INTERNAL,
            kind=MessageKind.SYSTEM if by is None else MessageKind.NOTE,
            body=note.strip(),
        )
    signals.status_changed.send(Ticket, ticket=locked, at=now, by=by, old=old, new=to)


# --- conversation ------------------------------------------------------------------------------------


def add_reply(
    ticket: Ticket,
    by: Any,
    body: str,
    *,
    internal: bool = False,
    status: str | None = None,
    hold_days: Any = None,
    expected_version: int | None = None,
    kind: str | None = None,
) -> Message:
    """A staff member's public reply or internal note, optionally changing the status in the same step."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput(
            "Write something before sending." if not internal else "The note is empty.", field="body"
        )
    if status and status not in Status.values:
        raise InvalidInput(f"Unknown status {status!r}.", field="status")
    days = _hold_days(hold_days) if status == Status.HOLD else None
    now = timezone.now()
    with transaction.atomic():
        locked = lock(ticket, expected_version)
        if status and status != locked.status and status not in TRANSITIONS[locked.status]:
            raise IllegalTransition(
                f"A ticket that is {locked.get_status_display()} cannot be moved to {Status(status).label}.",
                field="status",
            )
        message = Message.objects.create(
            ticket=locked,
            author_user=by,
            body=body,
            visibility=Visibility.INTERNAL if internal else Visibility.PUBLIC,
            kind=kind or (MessageKind.NOTE if internal else MessageKind.REPLY),
        )
        if internal:
            _save(locked)
            record(locked, "note_added", by, message=message.pk)
        else:
            locked.last_public_reply_at = now
            locked.first_response_at = locked.first_response_at or now
            fields = ["last_public_reply_at", "first_response_at"]
            if locked.status == Status.PENDING and status in (None, "", Status.PENDING):
                # 004: the reminders count from our latest answer, so a new answer restarts them.
                locked.reminders_sent = 0
                schedule_timer(locked, now)
                fields += ["reminders_sent", "next_action", "next_action_at"]
            _save(locked, *fields)
            record(locked, "replied", by, message=message.pk)
            outbox.notify_requester(locked, "reply", f"reply:{message.pk}", message.body)
            signals.public_reply.send(Ticket, ticket=locked, at=now, by=by, message=message)
        if status and status != locked.status:
            transition(locked, status, by=by, hold_days=days)
    return message


def add_note(ticket: Ticket, by: Any, body: str, **kwargs: Any) -> Message:
    return add_reply(ticket, by, body, internal=True, **kwargs)


def add_system_note(locked: Ticket, body: str) -> Message:
    """An automatic internal note on a ticket the caller has locked."""
    return Message.objects.create(
        ticket=locked, visibility=Visibility.INTERNAL, kind=MessageKind.SYSTEM, body=body
    )


def add_requester_reply(ticket: Ticket, contact: Contact, body: str) -> Message:
    """The requester wrote. Pending/Waiting/Hold/Resolved go back to Open; a Closed ticket is not
    reopened: a new ticket linked to it is opened instead (004). Returns the stored message."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput("The message is empty.", field="body")
    now = timezone.now()
    with transaction.atomic():
        locked = lock(ticket)
        if locked.status == Status.CLOSED:
            new = open_ticket(
                contact,
                _follow_up_subject(locked.subject),
                body,
                kind=locked.kind,
                priority=locked.priority,
                follow_up_of=locked,
            )
            record(locked, "follow_up_opened", None, number=new.number)
            outbox.notify_requester(
                new,
                "follow_up_opened",
                f"follow_up_opened:{new.pk}",
                f"Hi {contact.name},\n\n#{locked.number} “{locked.subject}” was already closed, so "
                f"your message opened a new request, #{new.number}. We'll get back to you there."
                "\n\n— The support team",
            )
            if locked.assignee_id:  # whoever handled the old ticket hears that it came back
                outbox.notify_user(
                    new,
                    locked.assignee,
                    "follow_up_opened",
                    f"follow_up_opened:{new.pk}:owner",
                    f"{contact.name} wrote again about closed #{locked.number}: new ticket #{new.number}.",
                )
            return new.messages.get()
        message = Message.objects.create(ticket=locked, author_contact=contact, body=body)
        locked.last_requester_reply_at = now
        _save(locked, "last_requester_reply_at")
        record(locked, "requester_replied", None, message=message.pk, contact=contact.pk)
        if locked.status in REOPEN_ON_REPLY:
            transition(locked, Status.OPEN, note="")
        if locked.assignee_id:
            outbox.notify_user(
                locked,
                locked.assignee,
                "requester_replied",
                f"requester_replied:{message.pk}",
                f"{contact.name} replied on #{locked.number}.",
            )
        signals.requester_replied.send(Ticket, ticket=locked, at=now, message=message)
    return message


def _follow_up_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"[:200]


# --- properties ---------------------------------------------------------------------------------------


def update_ticket(ticket: Ticket, by: Any, *, expected_version: int | None = None, **changes: Any) -> Ticket:
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
            _save(locked, *changed)
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


def take(ticket: Ticket, by: Any, *, expected_version: int | None = None) -> Ticket:
    return update_ticket(ticket, by, expected_version=expected_version, assignee=by)


def set_tags(ticket: Ticket, by: Any, names: list[str]) -> Ticket:
    cleaned = sorted({n.strip()[:100] for n in names if n and n.strip()})
    with transaction.atomic():
        locked = lock(ticket)
        current = set(locked.tags.values_list("name", flat=True))
        wanted = set(cleaned)
        for name in wanted - current:
            locked.tags.add(Tag.objects.get_or_create(name=name)[0])
            record(locked, "tag_added", by, tag=name)
        for name in current - wanted:
            locked.tags.remove(Tag.objects.get(name=name))
            record(locked, "tag_removed", by, tag=name)
        _save(locked)
    return locked


def add_tag(ticket: Ticket, by: Any, name: str) -> Ticket:
    current = list(ticket.tags.values_list("name", flat=True))
    return set_tags(ticket, by, [*current, name])


def set_following(ticket: Ticket, user: Any, follow: bool) -> None:
    with transaction.atomic():
        locked = lock(ticket)
        (locked.followers.add if follow else locked.followers.remove)(user)
        record(locked, "followed" if follow else "unfollowed", user)


def _reopen_for_team(locked: Ticket, by: Any, team: Team) -> None:
    """004: "Tickets should remain as Open once escalated or sent to a different department" — a
    Pending / Waiting / On-hold ticket handed to another team goes back to Open, which stops its reminders."""
    if locked.status not in PAUSED_STATUSES:
        return
    old = locked.status
    transition(locked, Status.OPEN, by=by, note=f"Sent to {team.name}: back to Open, reminders stopped.")
    record(locked, "reopened_for_team", by, team=team.slug, old=old)


def route_to_team(ticket: Ticket, by: Any, team: Team, *, note: str = "") -> Ticket:
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

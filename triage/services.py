"""Triage decisions (DESIGN §5; 002 "Triage", 004 "Workflow", 000 "Charging for ticket work").

Every decision follows the same steps:
1. validate the input (bad input raises ``InvalidInput`` before anything is written);
2. inside one transaction, lock the ticket row and re-check it is still undecided and still in triage
   (a lead who clicks a second after another gets ``AlreadyTriaged`` and nothing changes);
3. apply the paperwork through ``tickets.services`` (notes, replies, tier/assignee/priority, status),
   so events, signals (tier_changed → SLA clock) and the outbox behave as for any other change;
4. stamp ``triage_decision``/``triaged_by``/``triaged_at`` and write a ``triaged`` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from helpdesk.people import display_name
from helpdesk.permissions import is_staff_member
from tickets import outbox, signals
from tickets import services as ticket_services
from tickets.errors import InvalidInput, TicketError
from tickets.models import (
    MessageKind,
    Priority,
    Status,
    Team,
    Ticket,
    Tier,
    TriageDecision,
    Visibility,
)
from tickets.services.agent import review_priority

from .authorisation import (  # noqa: F401  (re-exported: one import path for views and the API)
    approval_blocked_reason,
    override_authorisation,
    request_authorisation,
    respond_to_authorisation,
)
from .models import ProjectItem

# Tiers a ticket can be approved to (everything except the triage tier itself).
APPROVE_TIERS = [Tier.T1, Tier.T2, Tier.T3, Tier.T4, Tier.T5, Tier.ONCALL]
ANSWER_STATUSES = [Status.PENDING, Status.RESOLVED]
MAX_ESTIMATE_HOURS = Decimal("10000")
ACCOUNT_MANAGEMENT_SLUG = "account-management"
HELPDESK_SLUG = "helpdesk"


class NotSetUp(InvalidInput):
    """The organization lacks what the decision needs (e.g. a programme delivery manager): a conflict with
    the setup, not bad input (the API answers 409)."""


class AlreadyTriaged(TicketError):
    """Another lead decided this ticket first; nothing was changed."""


def _name(user: Any) -> str:
    return display_name(user, nobody="someone")


# --- the common frame of every decision ---------------------------------------------------------------


def _lock_undecided(ticket: Ticket) -> Ticket:
    """Lock the row and re-check, inside the caller's transaction, that nobody has decided it yet."""
    locked = ticket_services.lock(ticket)
    if locked.triage_decision:
        at = timezone.localtime(locked.triaged_at).strftime("%Y-%m-%d %H:%M") if locked.triaged_at else "?"
        raise AlreadyTriaged(
            f"Already triaged by {_name(locked.triaged_by)} at {at} ({locked.get_triage_decision_display()})."
        )
    if locked.tier != Tier.TRIAGE:
        raise AlreadyTriaged(f"This ticket has already left triage (now {locked.get_tier_display()}).")
    return locked


def _mark_decided(locked: Ticket, actor: Any, decision: str, **data: Any) -> Ticket:
    now = timezone.now()
    # A plain UPDATE on the locked row: tickets.services has no field for the decision itself.
    Ticket.objects.filter(pk=locked.pk).update(
        triage_decision=decision,
        triaged_by=actor,
        triaged_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    ticket_services.record(locked, "triaged", actor, decision=decision, **data)
    locked.refresh_from_db()
    if locked.tier == Tier.TRIAGE and decision in (TriageDecision.REROUTED, TriageDecision.CHARGEABLE):
        # Decided but still in the Triage tier: it has left the triage queue, so the triage clock stops.
        signals.left_queue.send(Ticket, ticket=locked, at=now, by=actor, reason=decision)
    return locked


def clean_text(value: Any, field: str, message: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not text:
        raise InvalidInput(message, field=field)
    return text


def _check_staff(user: Any, field: str) -> None:
    if user is not None and not is_staff_member(user):
        raise InvalidInput(f"{_name(user)} is not a member of staff.", field=field)


# --- Approve -----------------------------------------------------------------------------------------

T2_TRANSITION = (
    "Hi {name},\n\nThank you for your patience. Your question needs some research by our specialist team, "
    "who will look into it and get back to you here."
)


def triage_approve(
    *,
    ticket: Ticket,
    actor: Any,
    tier: str,
    assignee: Any = None,
    priority: str | None = None,
    note: str = "",
    transition_comment: str | None = None,
) -> Ticket:
    """Approve as support work: the "Approved" note (002), tier (starts the tier's SLA clock through
    ``tier_changed``), optionally an assignee and a reviewed priority. Approving to T2 ("known to
    require T2 research", 004) first sends the requester the transition comment (``transition_comment``
    None → the standard text)."""
    if tier not in APPROVE_TIERS:
        raise InvalidInput("Choose the tier to approve to (T1–T5 or On-call).", field="tier")
    if priority and priority not in Priority.values:
        raise InvalidInput(f"Unknown priority {priority!r}.", field="priority")
    _check_staff(assignee, "assignee")
    with transaction.atomic():
        locked = _lock_undecided(ticket)
        blocked = approval_blocked_reason(locked)
        if blocked:
            raise InvalidInput(blocked, field="authorisation")
        comment = ""
        if tier == Tier.T2:
            comment = (transition_comment or "").strip() or T2_TRANSITION.format(name=locked.requester.name)
            ticket_services.add_reply(locked, actor, comment, kind=MessageKind.TRANSITION)
            locked = ticket_services.lock(locked)
        changes: dict[str, Any] = {"tier": tier}
        if assignee is not None:
            changes["assignee"] = assignee
        if priority:
            changes["priority"] = priority
        ticket_services.update_ticket(locked, actor, **changes)
        if priority:
            ticket_services.record(locked, "priority_reviewed", actor, priority=priority)
        body = f"Approved for {Tier(tier).label}."
        if note.strip():
            body += f"\n\n{note.strip()}"
        ticket_services.add_note(locked, actor, body)
        return _mark_decided(
            locked,
            actor,
            TriageDecision.APPROVED,
            tier=tier,
            assignee=getattr(assignee, "pk", None),
            transition_comment=bool(comment),
        )


# --- Project work ------------------------------------------------------------------------------------

PROJECT_MESSAGE = (
    "Hello {name},\n\n"
    "Thank you for your request. Having looked at it closely, it is more than we can take on as a "
    "support ticket: it is project work. We have passed everything you sent us to {manager}, who "
    "plans project work with {organization} and will be in touch to agree the next steps with you.\n\n"
    "We are resolving this ticket in the meantime; nothing you sent has been lost.\n\n"
    "Best wishes,\nThe support team"
)


def project_message_for(ticket: Ticket) -> str:
    """The editable default message to the requester for a "Project" decision."""
    org = ticket.organization
    manager = getattr(org, "programme_delivery_manager", None) if org else None
    return PROJECT_MESSAGE.format(
        name=ticket.requester.name.split(" ")[0] if ticket.requester.name else "there",
        manager=_name(manager) if manager else "our programme delivery manager",
        organization=org.name if org else "you",
    )


def conversation_text(ticket: Ticket) -> str:
    """The public conversation as plain text, oldest first (what the backlog item keeps)."""
    parts = []
    for message in ticket.messages.filter(visibility=Visibility.PUBLIC).select_related(
        "author_user", "author_contact"
    ):
        parts.append(
            f"— {message.author_name}, {timezone.localtime(message.created_at):%Y-%m-%d %H:%M}\n"
            f"{message.body}"
        )
    return "\n\n".join(parts)


def triage_project(*, ticket: Ticket, actor: Any, message: str, note: str = "") -> Ticket:
    """Project work (002): tell the requester, keep the content in the project backlog, resolve the
    ticket and notify the organization's programme delivery manager."""
    message = clean_text(message, "message", "Write the message to the requester.")
    with transaction.atomic():
        locked = _lock_undecided(ticket)
        org = locked.organization
        manager = org.programme_delivery_manager if org is not None else None
        if manager is None:
            raise NotSetUp(
                f"{org.name if org else 'This requester’s organization'} has no programme delivery manager, "
                "so nobody would pick the project up. Ask an administrator to set one first.",
                field="message",
            )
        item = ProjectItem.objects.create(
            ticket=locked,
            organization=org,
            title=locked.subject,
            content=conversation_text(locked),
            requester_name=locked.requester.name,
            requester_email=locked.requester.email,
            delivery_manager=manager,
            created_by=actor,
        )
        ticket_services.add_note(locked, actor, "Project" + (f"\n\n{note.strip()}" if note.strip() else ""))
        ticket_services.add_reply(locked, actor, message, status=Status.RESOLVED)
        outbox.notify_user(
            locked,
            manager,
            "project_work",
            f"project_work:{locked.pk}",
            f"#{locked.number} “{locked.subject}” from {org.name} is project work. It is in the project "
            f"backlog (item {item.pk}); please pick it up with {locked.requester.name} "
            f"<{locked.requester.email}>.\n"
            f"{reverse('tickets:detail', args=[locked.number])}",
            email=True,
        )
        return _mark_decided(locked, actor, TriageDecision.PROJECT, project_item=item.pk)


# --- Reroute -----------------------------------------------------------------------------------------


def triage_reroute(
    *,
    ticket: Ticket,
    actor: Any,
    reason: str,
    team: Team | None = None,
    assignee: Any = None,
) -> Ticket:
    """Send the ticket to the right team and/or person (002 "reassign … if it's assigned incorrectly")."""
    if team is None and assignee is None:
        raise InvalidInput("Choose a team or a person to reroute to.", field="team")
    reason = clean_text(reason, "reason", "Say why it goes there.")
    _check_staff(assignee, "assignee")
    target = " / ".join(x for x in (team.name if team else "", _name(assignee) if assignee else "") if x)
    with transaction.atomic():
        locked = _lock_undecided(ticket)
        if team is not None:
            # Removes the agent so the team can take it (004 "Sending to Engagement").
            ticket_services.route_to_team(locked, actor, team)
        if assignee is not None:
            ticket_services.update_ticket(locked, actor, assignee=assignee)
        ticket_services.add_note(locked, actor, f"Rerouted to {target}: {reason}")
        return _mark_decided(
            locked,
            actor,
            TriageDecision.REROUTED,
            team=getattr(team, "pk", None),
            assignee=getattr(assignee, "pk", None),
        )


# --- Chargeable --------------------------------------------------------------------------------------


def parse_estimate(raw: Any) -> Decimal:
    """A rough estimate in hours: a positive number (``6``, ``2.5``)."""
    try:
        hours = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            "The estimate must be a number of hours, e.g. 6 or 2.5.", field="estimate"
        ) from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_ESTIMATE_HOURS:
        raise InvalidInput(
            f"The estimate must be between 0 and {MAX_ESTIMATE_HOURS} hours.", field="estimate"
        )
    return hours.quantize(Decimal("0.1"))


def triage_chargeable(*, ticket: Ticket, actor: Any, explanation: str, estimate: Any) -> Ticket:
    """Out of support scope (000 "Charging for ticket work"): reassign to the account manager with why
    and a rough size; the ticket is marked chargeable and becomes a lead for account management."""
    explanation = clean_text(explanation, "explanation", "Explain why this work is chargeable.")
    if estimate in (None, ""):
        raise InvalidInput("Give a rough estimate in hours.", field="estimate")
    hours = parse_estimate(estimate)
    with transaction.atomic():
        locked = _lock_undecided(ticket)
        org = locked.organization
        manager = org.account_manager if org is not None else None
        if manager is None:
            raise InvalidInput(
                f"{org.name if org else 'This requester’s organization'} has no account manager "
                "to hand the lead to. Ask an administrator to set one first.",
                field="explanation",
            )
        changes: dict[str, Any] = {"assignee": manager, "chargeable": True}
        team = Team.objects.filter(slug=ACCOUNT_MANAGEMENT_SLUG).first()
        if team is not None:
            changes["team"] = team
        ticket_services.update_ticket(locked, actor, **changes)
        ticket_services.add_note(
            locked, actor, f"Chargeable: {explanation}\n\nRough estimate: {hours} hours."
        )
        outbox.notify_user(
            locked,
            manager,
            "chargeable_lead",
            f"chargeable_lead:{locked.pk}",
            f"#{locked.number} “{locked.subject}” ({org.name}) is chargeable work — a lead for you.\n\n"
            f"Why: {explanation}\nRough estimate: {hours} hours.",
            email=True,
        )
        return _mark_decided(locked, actor, TriageDecision.CHARGEABLE, estimate_hours=str(hours))


# --- Answer now --------------------------------------------------------------------------------------


def triage_answer(*, ticket: Ticket, actor: Any, body: str, status: str = Status.RESOLVED) -> Ticket:
    """Trivial tickets (004 "address immediately and respond directly"): a public reply from triage,
    the ticket Pending or Resolved and owned by the lead who answered, so a reply finds them."""
    if status not in ANSWER_STATUSES:
        raise InvalidInput("After answering, the ticket is either Pending or Resolved.", field="status")
    body = clean_text(body, "body", "Write the answer to send.")
    with transaction.atomic():
        locked = _lock_undecided(ticket)
        ticket_services.update_ticket(locked, actor, assignee=actor)
        ticket_services.add_reply(locked, actor, body, status=status)
        return _mark_decided(locked, actor, TriageDecision.ANSWERED, status=status)


# --- Bulk and priority review ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    number: int
    ok: bool
    message: str


def bulk_approve(
    *, tickets: list[Ticket], actor: Any, tier: str, priority: str | None = None
) -> list[Outcome]:
    """Approve several tickets to one tier; each is its own decision (one failure stops nothing else)."""
    if tier not in APPROVE_TIERS:
        raise InvalidInput("Choose the tier to approve to (T1–T5 or On-call).", field="tier")
    results = []
    for ticket in tickets:
        try:
            triage_approve(ticket=ticket, actor=actor, tier=tier, priority=priority)
        except TicketError as exc:
            results.append(Outcome(ticket.number, False, str(exc)))
        else:
            results.append(Outcome(ticket.number, True, f"#{ticket.number} approved for {Tier(tier).label}."))
    return results


def set_priority(*, ticket: Ticket, actor: Any, priority: str) -> Ticket:
    """Review the priority (000 "Priority", 004 "adjust priority level … if there is a backlog"): changes
    it when different and always records that it was reviewed."""
    return review_priority(ticket, actor, priority)


def bulk_set_priority(*, tickets: list[Ticket], actor: Any, priority: str) -> list[Outcome]:
    if priority not in Priority.values:
        raise InvalidInput("Choose a priority.", field="priority")
    results = []
    for ticket in tickets:
        try:
            set_priority(ticket=ticket, actor=actor, priority=priority)
        except TicketError as exc:
            results.append(Outcome(ticket.number, False, str(exc)))
        else:
            results.append(
                Outcome(ticket.number, True, f"#{ticket.number} priority {Priority(priority).label.lower()}.")
            )
    return results

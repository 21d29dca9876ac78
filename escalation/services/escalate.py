"""Escalation writes (seed 004 "When escalating upward/down"). Each action is one transaction with the
ticket locked; validation happens before the first write, so bad input changes nothing. Ticket changes
go through ``tickets.services`` (which writes the events and sends the signals the SLA clock follows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from escalation import oncall_gate, selectors
from escalation.errors import InvalidInput, KnownIssueMatch
from escalation.models import KnownIssue, ReviewTag
from escalation.services.known_issues import link_ticket
from tickets import services as core
from tickets.models import ACTIVE_STATUSES, Message, MessageFormat, MessageKind, Status, Ticket, Tier

MAX_QUESTIONS = 10

TRANSITION_TEXT = (
    "Hi {name},\n\nThank you for your patience. We have passed your question on to a specialist colleague, "
    "who will look into it and get back to you here."
)


@dataclass
class Escalation:
    ticket: Ticket
    assignee: Any | None
    transition_comment: bool
    questions: list[str] = field(default_factory=list)


def clean_questions(questions: list[str] | str | None) -> list[str]:
    """Non-empty questions in order; a single string is split on blank lines."""
    if isinstance(questions, str):
        questions = questions.split("\n\n")
    return [q.strip() for q in (questions or []) if q and q.strip()]


def render_questions(
    questions: list[str], findings: str = "", *, from_tier: str = "", to_tier: str = ""
) -> str:
    """The escalation note: one bold **ESCALATED QUESTION n** header per question (004), then findings."""
    lines = []
    if from_tier and to_tier:
        lines.append(f"Escalated {Tier(from_tier).label} → {Tier(to_tier).label}.\n")
    for n, question in enumerate(questions, start=1):
        lines.append(f"**ESCALATED QUESTION {n}**\n{question}\n")
    if findings.strip():
        lines.append(f"**Findings so far**\n{findings.strip()}")
    return "\n".join(lines).strip()


def check_escalation_target(current: str, to_tier: str) -> None:
    """Up means a higher tier; anyone may escalate to on-call (004), nothing is above T5 but on-call."""
    if to_tier not in Tier.values or to_tier == Tier.TRIAGE:
        raise InvalidInput(f"Unknown tier {to_tier!r} to escalate to.", field="to_tier")
    if current == Tier.ONCALL:
        raise InvalidInput("This ticket is already with on-call: there is no tier above it.", field="to_tier")
    if to_tier == Tier.ONCALL:
        return
    if current == Tier.TRIAGE:  # 002/004: every new ticket is decided in triage before anyone works on it
        raise InvalidInput(
            "This ticket has not been triaged yet: a triage lead approves it to a tier first "
            "(only an emergency goes straight to on-call).",
            field="to_tier",
        )
    if current == Tier.T5:
        raise InvalidInput("T5 is the top tier: escalate past it only to on-call.", field="to_tier")
    if selectors.tier_rank(to_tier) <= selectors.tier_rank(current):
        raise InvalidInput(f"Escalating goes up: pick a tier above {Tier(current).label}.", field="to_tier")


def escalate_up(
    ticket: Ticket,
    by: Any,
    *,
    to_tier: str,
    questions: list[str] | str,
    findings: str = "",
    transition_comment: str | None = None,
    not_a_known_issue: bool = False,
    expected_version: int | None = None,
    skip_transition_comment: bool = False,
    confirmed_by: Any | None = None,
) -> Escalation:
    """Carry ``ticket`` up to ``to_tier`` with its escalated questions.

    Refuses when the ticket matches an open known issue (unless ``not_a_known_issue``), writes the
    transition comment when the requester has not heard from us in a day (``transition_comment`` None →
    the default text; a text given is always sent), the ESCALATED QUESTION note, moves the tier and
    assigns back to the engineer of that tier who already answered, else leaves it unassigned."""
    cleaned = _checked_questions(questions)
    now = timezone.now()
    with transaction.atomic():
        locked = core.lock(ticket, expected_version)
        if locked.status == Status.CLOSED:
            raise InvalidInput("This ticket is Closed: reopen it before escalating.", field="status")
        check_escalation_target(locked.tier, to_tier)
        gate = oncall_gate.confirmation(by, confirmed_by, now) if to_tier == Tier.ONCALL else {}
        if not not_a_known_issue and (matches := selectors.matching_known_issues(locked)):
            raise KnownIssueMatch(matches)
        from_tier = locked.tier
        comment = _transition_comment(locked, to_tier, transition_comment, skip_transition_comment, now)
        if comment:
            core.add_reply(locked, by, comment, kind=MessageKind.TRANSITION)
        note = render_questions(cleaned, findings, from_tier=from_tier, to_tier=to_tier)
        if gate.get("confirmed_by"):
            note += f"\n\nOn-call escalation confirmed by {_name(gate['confirmed_by'])}."
        written = core.add_reply(locked, by, note, internal=True, kind=MessageKind.ESCALATION)
        # The note is Markdown (bold question headers), so it is rendered as such, not shown with "**".
        Message.objects.filter(pk=written.pk).update(format=MessageFormat.MARKDOWN)
        locked = core.lock(locked)
        if locked.status not in ACTIVE_STATUSES:  # 004: "tickets should remain as Open once escalated"
            core.transition(locked, Status.OPEN, by=by)
        target = selectors.previous_engineer(locked, to_tier)
        locked = core.update_ticket(locked, by, tier=to_tier, assignee=target)
        data = {"from": from_tier, "to": to_tier, "questions": cleaned, "transition_comment": bool(comment)}
        core.record(locked, "escalated", by, **data, assignee=getattr(target, "pk", None), **gate)
    return Escalation(locked, target, bool(comment), cleaned)


def _checked_questions(questions: list[str] | str) -> list[str]:
    cleaned = clean_questions(questions)
    if not cleaned:
        raise InvalidInput("Write at least one escalated question.", field="questions")
    if len(cleaned) > MAX_QUESTIONS:
        raise InvalidInput(f"At most {MAX_QUESTIONS} escalated questions at a time.", field="questions")
    return cleaned


def _name(user_id: int) -> str:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_id)
    return user.get_full_name() or user.get_username()


def escalate_down(
    ticket: Ticket,
    by: Any,
    *,
    to_tier: str,
    note: str,
    known_issue: KnownIssue | int | None = None,
    doc_url: str = "",
    missed_doc_review: bool = False,
    process_tweak: bool = False,
    other_tags: list[str] | tuple[str, ...] = (),
    expected_version: int | None = None,
) -> Ticket:
    """Kick ``ticket`` back to a lower tier with an internal note for it (004 "When escalating down").

    The note carries the answer for the lower tier; optionally a known issue (the ticket gets linked and
    tagged), a doc link, and the review tags. "Missed Doc Review" needs the doc link. The ticket goes back
    to whoever escalated it out of ``to_tier``, else unassigned."""
    note, doc_url = (note or "").strip(), (doc_url or "").strip()
    known_issue = _check_down(note, doc_url, missed_doc_review, other_tags, known_issue)
    with transaction.atomic():
        locked = core.lock(ticket, expected_version)
        current = locked.tier
        _check_down_tier(current, to_tier)
        body = [f"**De-escalated {Tier(current).label} → {Tier(to_tier).label}**", "", note]
        if known_issue:
            body.append(f"\nKnown issue: KI-{known_issue.number} {known_issue.title}")
            link_ticket(locked, known_issue, by)
        if doc_url:
            body.append(f"\nDoc: {doc_url}")
        review = ((ReviewTag.MISSED_DOC_REVIEW, missed_doc_review), (ReviewTag.PROCESS_TWEAK, process_tweak))
        tags = [name for name, on in review if on] + list(dict.fromkeys(other_tags))
        if tags:
            current_tags = list(locked.tags.values_list("name", flat=True))
            core.set_tags(locked, by, [*current_tags, *tags])
        written = core.add_reply(locked, by, "\n".join(body), internal=True, kind=MessageKind.NOTE)
        Message.objects.filter(pk=written.pk).update(format=MessageFormat.MARKDOWN)  # bold header
        back_to = selectors.last_escalator(locked, to_tier)
        locked = core.update_ticket(locked, by, tier=to_tier, assignee=back_to)
        data = {"from": current, "to": to_tier, "tags": tags, "doc_url": doc_url or None}
        ki, assignee = getattr(known_issue, "number", None), getattr(back_to, "pk", None)
        core.record(locked, "de_escalated", by, **data, known_issue=ki, assignee=assignee)
    return locked


def _check_down(
    note: str, doc_url: str, missed_doc_review: bool, other_tags: Any, known_issue: Any
) -> KnownIssue | None:
    """The de-escalation's input, checked before anything is locked; answers the known issue (or None)."""
    if not note:
        raise InvalidInput(
            "Explain the answer or what could have been done better in the internal note.", field="note"
        )
    if missed_doc_review and not doc_url:
        raise InvalidInput(
            "“Missed Doc Review” needs the link to the doc that had the answer.", field="doc_url"
        )
    unknown = [t for t in other_tags if t not in selectors.other_review_tags()]
    if unknown:
        raise InvalidInput(f"“{unknown[0]}” is not one of the review tags.", field="other_tags")
    if doc_url and not doc_url.startswith(("http://", "https://")):
        raise InvalidInput("The doc link must start with http:// or https://.", field="doc_url")
    if isinstance(known_issue, int | str) and known_issue not in ("", None):
        found = selectors.known_issue_by_number(known_issue)
        if found is None:
            raise InvalidInput(f"Known issue #{known_issue} does not exist.", field="known_issue")
        return found
    return known_issue or None


def _check_down_tier(current: str, to_tier: str) -> None:
    if to_tier not in Tier.values or to_tier in (Tier.TRIAGE, Tier.ONCALL):
        raise InvalidInput(f"Unknown tier {to_tier!r} to de-escalate to.", field="to_tier")
    if current in (Tier.TRIAGE, Tier.T1) or selectors.tier_rank(to_tier) >= selectors.tier_rank(current):
        raise InvalidInput(f"Escalating down goes to a tier below {Tier(current).label}.", field="to_tier")


def _transition_comment(locked: Ticket, to_tier: str, given: str | None, skip: bool, now: dt.datetime) -> str:
    """A text given is always sent; none given → the default text when the requester has not heard from
    us in a day (004 "transition comment"); ``skip`` → none."""
    if skip:
        return ""
    comment = (given or "").strip()
    if not comment and selectors.transition_comment_due(locked, now):
        comment = TRANSITION_TEXT.format(name=locked.requester.name, tier=Tier(to_tier).label)
    return comment

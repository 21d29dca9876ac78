"""Writes for the effort rule (002: "if the request … will take more than 3 days to complete without prior
arrangement, raise this with the Operations Lead to help work out how it should be resolved").

An agent records an effort estimate on the ticket. Over the playbook's limit, and not arranged with the
requester beforehand, the ticket is raised with the Operations Lead: the triage leads on today's rota are
told once, the ticket carries the ``awaiting operations lead`` tag, and it stays so until a lead decides.
Reads live in ``triage.selectors`` (``effort_awaiting``, ``operations_leads``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from helpdesk.people import display_name
from helpdesk.permissions import TRIAGE_LEAD, has_role
from playbook import params
from tickets import outbox
from tickets import services as ticket_services
from tickets.errors import InvalidInput
from tickets.models import Ticket

from . import selectors
from .models import EffortReview

AWAITING_TAG = "awaiting operations lead"
MAX_DAYS = Decimal("365")


def parse_days(raw: Any) -> Decimal:
    """A positive number of working days, at most a year, to one decimal place."""
    try:
        days = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            "Give the estimate as a number of days, e.g. 2 or 4.5.", field="estimate_days"
        ) from None
    if not days.is_finite() or days <= 0 or days > MAX_DAYS:
        raise InvalidInput("The estimate must be more than 0 and at most 365 days.", field="estimate_days")
    return days.quantize(Decimal("0.1"))


def estimate_effort(
    ticket: Ticket,
    by: Any,
    raw_days: Any,
    *,
    arranged: bool = False,
    note: str = "",
    expected_version: int | None = None,
) -> EffortReview | None:
    """Record the estimate; over the limit and not arranged, raise it (once) with the Operations Lead.
    Returns the review when the ticket is (still) awaiting or was just raised, else ``None``."""
    days = parse_days(raw_days)
    limit = params.get("effort_limit_days")
    note = (note or "").strip()
    with transaction.atomic():
        locked = ticket_services.lock(ticket, expected_version)
        review = EffortReview.objects.select_for_update().filter(ticket=locked).first()
        over = days > limit and not arranged
        words = f"Effort estimate: {_days(days)}" + (
            " (arranged with the requester beforehand)" if arranged else ""
        )
        ticket_services.record(locked, "effort_estimated", by, days=str(days), arranged=arranged, over=over)
        if not over:
            ticket_services.add_note(locked, by, words + (f"\n\n{note}" if note else ""))
            if review is not None and review.awaiting:
                review.estimate_days = days
                review.save(update_fields=["estimate_days"])
                return review
            return None
        if review is not None and review.awaiting:  # raised already: keep the one notice
            review.estimate_days = days
            review.save(update_fields=["estimate_days"])
            ticket_services.add_note(locked, by, f"{words}; still awaiting the Operations Lead.")
            return review
        review = _raise(locked, by, days, note, review)
        ticket_services.add_note(
            locked,
            by,
            f"{words}, over the {limit}-day limit: raised with the Operations Lead."
            + (f"\n\n{note}" if note else ""),
        )
        return review


def _raise(locked: Ticket, by: Any, days: Decimal, note: str, review: EffortReview | None) -> EffortReview:
    now = timezone.now()
    review = review or EffortReview(ticket=locked)
    review.estimate_days, review.note, review.raised_by, review.raised_at = days, note, by, now
    review.decision, review.decided_by, review.decided_at, review.decision_note = "", None, None, ""
    review.save()
    ticket_services.add_tag(locked, by, AWAITING_TAG)
    raised = ticket_services.record(locked, "effort_raised", by, days=str(days))
    link = reverse("tickets:detail", args=[locked.number])
    body = (
        f"{display_name(by, 'Someone')} estimates #{locked.number} “{locked.subject}” at {_days(days)}, "
        f"over the {params.get('effort_limit_days')}-day limit. Please decide how it should be resolved."
        + (f"\n\nTheir note: {note}" if note else "")
        + f"\n{link}"
    )
    for lead in selectors.operations_leads():
        outbox.notify_user(
            locked,
            lead,
            "effort_review",
            f"effort_review:{locked.pk}:{raised.pk}",
            body,
            email=True,
        )
    return review


def decide_effort(ticket: Ticket, by: Any, decision: str, *, note: str = "") -> EffortReview:
    """An Operations Lead (a triage lead or above) decides: the tag comes off, the estimator is told."""
    if not has_role(by, TRIAGE_LEAD):
        raise InvalidInput(
            "Only an Operations Lead (a triage lead or manager) can decide this.", field="decision"
        )
    if decision not in EffortReview.Decision.values:
        raise InvalidInput("Choose how this work should be resolved.", field="decision")
    note = (note or "").strip()
    with transaction.atomic():
        locked = ticket_services.lock(ticket)
        review = EffortReview.objects.select_for_update().filter(ticket=locked).first()
        if review is None or not review.awaiting:
            raise InvalidInput("Nothing is awaiting the Operations Lead on this ticket.", field="decision")
        review.decision, review.decided_by, review.decided_at = decision, by, timezone.now()
        review.decision_note = note
        review.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        label = EffortReview.Decision(decision).label
        current = [t for t in locked.tags.values_list("name", flat=True) if t != AWAITING_TAG]
        ticket_services.set_tags(locked, by, current)
        ticket_services.add_note(locked, by, f"Operations Lead: {label}." + (f"\n\n{note}" if note else ""))
        decided = ticket_services.record(locked, "effort_decided", by, decision=decision)
        if review.raised_by_id and review.raised_by_id != getattr(by, "pk", None):
            outbox.notify_user(
                locked,
                review.raised_by,
                "effort_decided",
                f"effort_decided:{locked.pk}:{decided.pk}",
                f"{display_name(by)} decided on #{locked.number}: {label}." + (f"\n\n{note}" if note else ""),
            )
        return review


def _days(days: Decimal) -> str:
    text = f"{days.normalize():f}"
    return f"{text} day" if days == 1 else f"{text} days"

"""SLA writes made by people (the jobs live in bands.py, nudges.py, commitments.py; the clock in
clock.py, driven by the ticket signals)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tickets import services as ticket_services
from tickets.errors import InvalidInput, StaleTicket
from tickets.models import Message, Ticket

from .commitments import set_commitment
from .models import BusinessCalendar, SlaPolicy, TicketSlaState


def send_holding_reply(ticket: Ticket, by: Any, *, expected_version: int | None = None) -> Message:
    """Send the ready-made "we're still looking into this" reply offered by the nudge job (004 T3)."""
    state = TicketSlaState.objects.filter(ticket=ticket).first()
    if state is None or not state.holding_reply:
        raise InvalidInput("There is no holding reply to send for this ticket.")
    return ticket_services.add_reply(ticket, by, state.holding_reply, expected_version=expected_version)


class StaleSetting(StaleTicket):
    """Another manager saved the policy or calendar after this edit was started (issue #15 item 9)."""


def _bump_version(obj: SlaPolicy | BusinessCalendar, expected_version: int | None, what: str) -> None:
    """Inside the save's transaction: lock the stored row, refuse an edit based on an older version, and
    give the row its next version. New rows start at 1."""
    if obj.pk is None:
        obj.version = 1
        return
    current = (
        type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("version", flat=True).first()
    )
    if current is None:
        raise InvalidInput(f"This {what} was deleted meanwhile.")
    if expected_version is not None and int(expected_version) != current:
        raise StaleSetting(
            f"Another manager changed this {what} while you were editing it. Your values are kept below: "
            "check the current ones (reload), then save again to replace them."
        )
    obj.version = current + 1


def save_policy(policy: SlaPolicy, *, expected_version: int | None = None) -> SlaPolicy:
    """Validate and save a policy edit; running clocks keep the limits they started with. With
    ``expected_version`` an edit based on an older version is refused (:class:`StaleSetting`)."""
    try:
        policy.full_clean()
    except ValidationError as exc:
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
    with transaction.atomic():
        _bump_version(policy, expected_version, "policy")
        policy.save()
    return policy


def save_calendar(
    calendar: BusinessCalendar, *, organizations: Any = None, expected_version: int | None = None
) -> BusinessCalendar:
    """Validate and save a calendar (no working hours, inverted or overlapping shifts, unknown country →
    error, nothing stored). Making it the default takes the flag from the previous default; ``organizations``
    (when given) become exactly the organizations it overrides."""
    try:
        calendar.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise InvalidInput("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
    if BusinessCalendar.objects.filter(name=calendar.name).exclude(pk=calendar.pk).exists():
        raise InvalidInput(f"There is already a calendar called “{calendar.name}”.", field="name")
    with transaction.atomic():
        _bump_version(calendar, expected_version, "calendar")
        if calendar.is_default:
            BusinessCalendar.objects.filter(is_default=True).exclude(pk=calendar.pk).update(is_default=False)
        calendar.save()
        if organizations is not None:
            calendar.organizations.set(organizations)
    return calendar


__all__ = ["set_commitment", "send_holding_reply", "save_policy", "save_calendar", "StaleSetting"]

"""Hand-offs that land: "let the account manager know" (000) and "page on-call now" for major outages
(004: "This can also be done immediately for major system down events")."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils import timezone

from escalation import selectors as esc_selectors
from tickets import outbox
from tickets import services as core
from tickets.errors import InvalidInput
from tickets.models import MessageKind, Priority, Ticket, Tier

from . import webhooks
from .receivers import name
from .services import notify

PAGING_NOW: ContextVar[bool] = ContextVar("paging_now", default=False)


def tell_account_manager(
    ticket: Ticket, by: Any, *, note: str, expected_version: int | None = None
) -> Ticket:
    """An internal note for the record and a notice to the organization's account manager."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Say in a line what the account manager should know.", field="note")
    with transaction.atomic():
        locked = core.lock(ticket, expected_version)
        manager = locked.organization.account_manager if locked.organization_id else None
        if manager is None or not manager.is_active:
            raise InvalidInput(
                "This organization has no account manager yet; an administrator can set one.", field="note"
            )
        message = core.add_reply(
            locked,
            by,
            f"For the account manager ({name(manager)}): {note}",
            internal=True,
            kind=MessageKind.NOTE,
        )
        core.record(locked, "account_manager_told", by, user=manager.pk, message=message.pk)
        notify(
            [manager],
            "account_manager",
            locked,
            f"{name(by)} wants you to know about #{locked.number} ({locked.organization.name}): {note}",
            key=f"account_manager:{message.pk}",
            actor=by,
        )
    return locked


def page_oncall_now(ticket: Ticket, by: Any, *, note: str, expected_version: int | None = None) -> list[Any]:
    """Major outage: the ticket goes to on-call as urgent and the on-call person (managers when nobody is
    on call) is paged at once by email and in the app, without waiting for the hour. Returns who."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            "Describe the outage in a line: it goes to the on-call person and the chat.", field="note"
        )
    with transaction.atomic():
        locked = core.lock(ticket, expected_version)
        now = timezone.now()
        message = core.add_reply(locked, by, f"Major outage — on-call paged now: {note}", internal=True)
        changes: dict[str, Any] = {"priority": Priority.URGENT}
        if locked.tier != Tier.ONCALL:
            changes["tier"] = Tier.ONCALL
        token = PAGING_NOW.set(True)  # the tier change's own chat post gives way to the "page now" one
        try:
            locked = core.update_ticket(locked, by, **changes)
        finally:
            PAGING_NOW.reset(token)
        chain = esc_selectors.oncall_chain(now)
        targets = [chain[0].user] if chain else esc_selectors.managers()
        text = f"PAGE NOW: {name(by)} reports a major outage on #{locked.number} “{locked.subject}”: {note}"
        for user in targets:
            key = f"oncall_page_now:{message.pk}:{user.pk}"
            outbox.notify_user(locked, user, "oncall_page_now", f"{key}:app", text)
            if user.email:
                outbox.notify_user(locked, user, "oncall_page_now", f"{key}:email", text, email=True)
        core.record(locked, "oncall_paged_now", by, users=[u.pk for u in targets], message=message.pk)
        webhooks.emit_ticket(
            "oncall_page",
            locked,
            f"PAGE NOW — major outage on #{locked.number}: {locked.subject}",
            key=f"now{message.pk}",
            text=note,
        )
    return targets

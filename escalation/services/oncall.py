"""Rota and the on-call paging chain (004 "On-Call": "On Call should see a ticket within one hour …
If no answer within an hour … wake me up … If no answer within 30 minutes after wake me up ping,
consult the schedule for who's on call").

A ticket entering the on-call tier opens an ``OnCallPage`` whose ``next_step_at`` is one hour later.
The beat job selects due pages by that indexed column, locks each with ``skip_locked`` and, in the
same transaction, notifies and moves ``next_step_at`` forward (or clears it), so a second run — or a
second worker — finds nothing to do. Notifications carry a dedupe key per (page, step, person)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from escalation import selectors
from escalation.errors import InvalidInput
from escalation.models import OnCallPage, OnCallShift, TierAssignment
from helpdesk.batch import keyset_ids
from playbook import params
from tickets import outbox
from tickets import services as core
from tickets.models import Tier

log = logging.getLogger(__name__)

RETRY_AFTER = dt.timedelta(minutes=5)
ACK_NOTE = "I've seen it and I'm handling it."
CHUNK = 100


def ack_within() -> dt.timedelta:
    """How long on-call has to acknowledge (the playbook's value, default 60 minutes)."""
    return dt.timedelta(minutes=params.get("oncall_ack_minutes"))


def next_after() -> dt.timedelta:
    """How long after a page the next person is paged (the playbook's value, default 30 minutes)."""
    return dt.timedelta(minutes=params.get("oncall_next_minutes"))


# --- rota ----------------------------------------------------------------------------------------------


def add_tier_assignment(
    user: Any, tier: str, starts_on: dt.date, ends_on: dt.date, substitute_for: Any | None = None
) -> TierAssignment:
    if tier not in Tier.values:
        raise InvalidInput(f"Unknown tier {tier!r}.", field="tier")
    if ends_on < starts_on:
        raise InvalidInput("The rota entry ends before it starts.", field="ends_on")
    if substitute_for is not None and getattr(substitute_for, "pk", None) == user.pk:
        raise InvalidInput("Someone cannot substitute for themselves.", field="substitute_for")
    try:
        with transaction.atomic():
            return TierAssignment.objects.create(
                user=user, tier=tier, starts_on=starts_on, ends_on=ends_on, substitute_for=substitute_for
            )
    except IntegrityError:
        raise InvalidInput(
            "This person already has an entry for that tier starting that day.", field="starts_on"
        ) from None


def add_shift(user: Any, starts_at: dt.datetime, ends_at: dt.datetime, order: int = 1) -> OnCallShift:
    if ends_at <= starts_at:
        raise InvalidInput("The shift ends before it starts.", field="ends_at")
    if order < 1:
        raise InvalidInput("The paging order starts at 1.", field="order")
    shift = OnCallShift.objects.create(user=user, starts_at=starts_at, ends_at=ends_at, order=order)
    close_gaps(timezone.now())
    return shift


def close_gaps(now: dt.datetime) -> int:
    """Someone is on call again (issue #15 item 15): the "nobody on call" flag of every waiting page clears,
    and a page whose chain ran out while nobody was on call is armed again, so the beat job pages the
    person now on call. Runs when a shift is added and at the start of every paging run."""
    if not selectors.oncall_chain(now):
        return 0
    waiting = OnCallPage.objects.filter(gap=True, acknowledged_at__isnull=True)
    waiting.filter(next_step_at__isnull=True, ticket__tier=Tier.ONCALL).update(next_step_at=now)
    return waiting.update(gap=False)


# --- pages ---------------------------------------------------------------------------------------------


def open_page(ticket: Any, at: dt.datetime) -> OnCallPage | None:
    """Start the one-hour acknowledgement clock for a ticket entering on-call (signal receiver)."""
    if selectors.open_page_for(ticket) is not None:
        return None
    try:
        with transaction.atomic():
            page = OnCallPage.objects.create(ticket=ticket, created_at=at, next_step_at=at + ack_within())
    except IntegrityError:
        return None
    chain = selectors.oncall_chain(at)
    if chain:
        outbox.notify_user(
            ticket,
            chain[0].user,
            "oncall_new",
            f"oncall:{page.pk}:new:{chain[0].user_id}",
            f"#{ticket.number} was escalated to on-call. Please acknowledge within an hour.",
        )
        return page
    # Nobody is on call: the managers hear it now (not an hour later) and the gap shows on the rota page.
    managers = list(selectors.managers())
    text = (
        f"#{ticket.number} “{ticket.subject}” was escalated to on-call, but nobody is on call right now. "
        "Please find someone or handle it."
    )
    for user in managers:
        outbox.notify_user(ticket, user, "oncall_gap", f"oncall:{page.pk}:gap:{user.pk}:app", text)
        if user.email:
            outbox.notify_user(
                ticket, user, "oncall_gap", f"oncall:{page.pk}:gap:{user.pk}:email", text, email=True
            )
    page.gap, page.paged_users = True, [u.pk for u in managers]
    page.save(update_fields=["gap", "paged_users"])
    core.add_system_note(ticket, "Nobody is on call right now: managers were notified.")
    return page


def stop_paging(ticket: Any) -> None:
    """The ticket left on-call: nobody needs to be paged for it any more."""
    OnCallPage.objects.filter(ticket=ticket, acknowledged_at__isnull=True).update(next_step_at=None)


def acknowledge_page(ticket: Any, by: Any) -> OnCallPage:
    """ "I've seen it and I'm handling it": internal note, acknowledgement, the chain stops; the ticket is
    assigned to the acknowledger when nobody owns it. Acknowledging twice changes nothing."""
    with transaction.atomic():
        page = (
            OnCallPage.objects.select_for_update()
            .filter(ticket=ticket, acknowledged_at__isnull=True)
            .order_by("-id")
            .first()
        )
        if page is None:
            last = OnCallPage.objects.filter(ticket=ticket).order_by("-id").first()
            if last is None:
                raise InvalidInput("This ticket has no on-call page to acknowledge.")
            return last
        page.acknowledged_at, page.acknowledged_by, page.next_step_at = timezone.now(), by, None
        page.save(update_fields=["acknowledged_at", "acknowledged_by", "next_step_at"])
        core.add_reply(ticket, by, ACK_NOTE, internal=True)
        locked = core.lock(ticket)
        if locked.assignee_id is None:
            core.update_ticket(locked, by, assignee=by)
        core.record(locked, "oncall_acknowledged", by, page=page.pk, step=page.step)
    return page


def page_unacknowledged(now: dt.datetime | None = None, chunk: int = CHUNK) -> dict[str, int]:
    """The beat job: advance every due, unacknowledged page by one step."""
    now = now or timezone.now()
    counts = {"paged": 0, "skipped": 0, "failed": 0}
    close_gaps(now)
    for pk in keyset_ids(
        OnCallPage.objects.filter(next_step_at__lte=now, acknowledged_at__isnull=True), chunk
    ):
        counts[_run_one(pk, now)] += 1
    return counts


def _run_one(pk: int, now: dt.datetime) -> str:
    try:
        with transaction.atomic():
            page = (
                OnCallPage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, next_step_at__lte=now, acknowledged_at__isnull=True)
                .select_related("ticket")
                .first()
            )
            if page is None:
                return "skipped"
            _advance(page, now)
            return "paged"
    except Exception:  # paging matters too much to give up: try again shortly
        log.exception("on-call page %s: paging failed; retrying in %s", pk, RETRY_AFTER)
        OnCallPage.objects.filter(pk=pk, acknowledged_at__isnull=True, next_step_at__isnull=False).update(
            next_step_at=now + RETRY_AFTER
        )  # not revived if the ticket left on-call meanwhile
        return "failed"


def _advance(page: OnCallPage, now: dt.datetime) -> None:
    ticket = page.ticket
    chain = [s.user for s in selectors.oncall_chain(now)]
    paged = set(page.paged_users)
    step = page.step + 1
    if page.step == 0:
        targets = chain[:1]
        reason, text = (
            "oncall_wake_me_up",
            (
                f"WAKE ME UP: #{ticket.number} “{ticket.subject}” has been on-call "
                "for an hour without acknowledgement."
            ),
        )
    else:
        targets = [u for u in chain if u.pk not in paged][:1]
        reason, text = (
            "oncall_next",
            (
                f"#{ticket.number} “{ticket.subject}” is still unacknowledged 30 minutes "
                "after the wake-me-up page: you are next on the on-call schedule."
            ),
        )
    exhausted = not targets
    if exhausted:  # nobody (else) on call: page the managers, stop, and show the gap on the rota page
        targets = [u for u in selectors.managers() if u.pk not in paged]
        text += (
            " Nobody else is on the on-call schedule: managers are paged."
            if chain
            else " Nobody is on call right now: managers are paged."
        )
    for user in targets:
        key = f"oncall:{page.pk}:{step}:{user.pk}"
        outbox.notify_user(ticket, user, reason, f"{key}:app", text)
        if user.email:
            outbox.notify_user(ticket, user, reason, f"{key}:email", text, email=True)
    page.step = step
    page.paged_users = [*page.paged_users, *[u.pk for u in targets if u.pk not in paged]]
    page.gap = not chain
    page.next_step_at = None if exhausted else now + next_after()
    page.save(update_fields=["step", "paged_users", "gap", "next_step_at"])
    names = ", ".join(u.get_full_name() or u.get_username() for u in targets) or "nobody"
    core.add_system_note(ticket, f"On-call not acknowledged: paged {names} (step {step}).")
    core.record(ticket, "oncall_paged", None, step=step, users=[u.pk for u in targets], gap=not chain)

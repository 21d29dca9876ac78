"""The notification outbox (DESIGN §2, §11). Rows are written in the caller's transaction; a Celery task
drains them after commit. Each row has a unique ``dedupe_key`` per (ticket, reason, cycle), and a row is
claimed with a compare-and-set before sending, so a retry, a second worker or a second job run never
sends the same notice twice. A claim is a lease (``HELPDESK_OUTBOX_LEASE_SECONDS``): a worker killed
mid-send leaves the row ``sending`` only until the lease runs out, then it is retried; a failed send is
retried on the next run; after ``HELPDESK_OUTBOX_MAX_ATTEMPTS`` attempts the row is ``failed`` and the
managers get a notice."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from helpdesk.batch import insert_unnest

from . import mailing
from .models import Message, Notification, Ticket

log = logging.getLogger(__name__)


def _create(**fields: Any) -> Notification | None:
    email = fields.get("channel") == Notification.Channel.EMAIL
    if email:
        row = Notification(**{"email_message_id": mailing.new_message_id(), **fields})
    else:
        row = Notification.in_app(**{k: v for k, v in fields.items() if k != "channel"})
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return None  # already queued for this (ticket, reason, cycle)
    if email:
        _kick_on_commit()  # an in-app notice is shown as written: nothing for the outbox to send
    return row


def _kick_on_commit() -> None:
    # One kick per transaction, however many rows it queues.
    if not any(entry[1] is _kick for entry in connection.run_on_commit):
        transaction.on_commit(_kick)


def _kick() -> None:
    from .tasks import send_notifications

    try:
        send_notifications.delay()
    except Exception:  # the broker may be down; beat drains the outbox every 30 s anyway
        log.warning("could not queue send_notifications; the periodic run will send it", exc_info=True)


def notify_requester(
    ticket: Ticket, reason: str, dedupe_key: str, body: str, *, message: Message | None = None
) -> Notification | None:
    """Email the requester (and the ticket's CC contacts). Only public text may be passed here: internal
    notes never reach requesters. ``message`` is the conversation message the notice carries: it is sent
    under the notice's Message-ID, so replies to it thread back."""
    row = _create(
        ticket=ticket,
        recipient_email=ticket.requester.email,
        channel=Notification.Channel.EMAIL,
        reason=reason,
        dedupe_key=dedupe_key,
        subject=f"[#{ticket.number}] {ticket.subject}"[:250],
        body=body,
        message=message,
        # A reply written with its Message-ID already (``add_reply``) is sent under it.
        **({"email_message_id": message.email_message_id} if message and message.email_message_id else {}),
    )
    if row is not None and message is not None and message.email_message_id != row.email_message_id:
        Message.objects.filter(pk=message.pk).update(email_message_id=row.email_message_id)
        message.email_message_id = row.email_message_id
    return row


def notify_requesters(notices: Sequence[tuple[Ticket, str, str, str]]) -> None:
    """``notify_requester`` for many ``(ticket, reason, dedupe_key, body)`` at once (no conversation
    message): one INSERT … ON CONFLICT DO NOTHING — a notice already queued under its key is not queued
    again — and one kick when the transaction commits."""
    if not notices:
        return
    insert_unnest(
        Notification,
        {
            "ticket": [ticket.pk for ticket, *_ in notices],
            "recipient_email": [ticket.requester.email for ticket, *_ in notices],
            "channel": [Notification.Channel.EMAIL.value] * len(notices),
            "reason": [reason for _, reason, _, _ in notices],
            "dedupe_key": [key for _, _, key, _ in notices],
            "subject": [f"[#{ticket.number}] {ticket.subject}"[:250] for ticket, *_ in notices],
            "body": [body for *_, body in notices],
            "email_message_id": [mailing.new_message_id() for _ in notices],
        },
        ignore_conflicts=True,
    )
    _kick_on_commit()


def notify_email(
    ticket: Ticket | None, email: str, reason: str, dedupe_key: str, subject: str, body: str
) -> Notification | None:
    """Email any address (e.g. an authorised contact asked to confirm). Public text only."""
    return _create(
        ticket=ticket,
        recipient_email=email,
        channel=Notification.Channel.EMAIL,
        reason=reason,
        dedupe_key=dedupe_key[:200],
        subject=subject[:250],
        body=body,
    )


def notify_user(
    ticket: Ticket | None, user: Any, reason: str, dedupe_key: str, body: str, *, email: bool = False
) -> Notification | None:
    """An in-app notice (and optionally an email) for a staff member."""
    subject = (
        f"[#{ticket.number}] {ticket.subject}"[:250] if ticket else reason.replace("_", " ").capitalize()
    )
    return _create(
        ticket=ticket,
        recipient_user=user,
        recipient_email=user.email if email else "",
        channel=Notification.Channel.EMAIL if email else Notification.Channel.IN_APP,
        reason=reason,
        dedupe_key=dedupe_key[:200],
        subject=subject,
        body=f"{body}\n\n{ticket_link(ticket)}" if email and ticket else body,
    )


def ticket_link(ticket: Ticket) -> str:
    """The ticket's absolute address for emails (``HELPDESK_BASE_URL``)."""
    return settings.HELPDESK_BASE_URL.rstrip("/") + ticket.get_absolute_url()


def send_pending(limit: int = 200) -> int:
    """Send up to ``limit`` pending notifications; returns how many were sent. Claims whose lease ran out
    (a worker killed between claiming and sending) are taken back first."""
    release_expired_claims()
    sent = 0
    ids = list(
        Notification.objects.filter(state=Notification.State.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for pk in ids:
        claimed = Notification.objects.filter(pk=pk, state=Notification.State.PENDING).update(
            state=Notification.State.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
        if not claimed:
            continue  # another worker has it
        row = Notification.objects.get(pk=pk)
        try:
            if row.channel == Notification.Channel.EMAIL and row.recipient_email:
                mailing.send(row)
        except Exception as exc:  # SMTP is a true boundary: record, retry later, give up after N attempts
            log.exception("notification %s failed (attempt %s)", pk, row.attempts)
            _failed_attempt(row, str(exc))
            continue
        Notification.objects.filter(pk=pk, state=Notification.State.SENDING).update(
            state=Notification.State.SENT, sent_at=timezone.now(), claimed_at=None
        )
        sent += 1
    return sent


def _max_attempts() -> int:
    return settings.HELPDESK_OUTBOX_MAX_ATTEMPTS


def _failed_attempt(row: Notification, error: str) -> None:
    """Back to pending for the next run, or failed (and staff told) after the last attempt."""
    state = Notification.State.FAILED if row.attempts >= _max_attempts() else Notification.State.PENDING
    Notification.objects.filter(pk=row.pk, state=Notification.State.SENDING).update(
        state=state, error=error[:2000], claimed_at=None
    )
    if state == Notification.State.FAILED:
        _tell_staff([row.pk])


def release_expired_claims() -> int:
    """Rows ``sending`` for longer than the lease: retried (the row keeps its Message-ID, so a duplicate is
    recognisable downstream) or, after the last attempt, failed and staff told. Set-based, idempotent."""
    lease = timedelta(seconds=settings.HELPDESK_OUTBOX_LEASE_SECONDS)
    expired = Q(state=Notification.State.SENDING, claimed_at__lt=timezone.now() - lease)
    note = "The worker sending it stopped before it finished (claim expired); "
    given_up = list(
        Notification.objects.filter(expired, attempts__gte=_max_attempts()).values_list("pk", flat=True)[:500]
    )
    if given_up:
        Notification.objects.filter(expired, pk__in=given_up).update(
            state=Notification.State.FAILED, claimed_at=None, error=note + "gave up."
        )
        _tell_staff(given_up)
    retried = Notification.objects.filter(expired, attempts__lt=_max_attempts()).update(
        state=Notification.State.PENDING, claimed_at=None, error=note + "retrying."
    )
    if retried or given_up:
        log.warning("outbox: %s expired claims retried, %s given up", retried, len(given_up))
    return retried + len(given_up)


def _tell_staff(ids: list[int]) -> None:
    """One in-app notice per failed row for each manager (dedupe key per row: told once)."""
    from django.contrib.auth import get_user_model

    from helpdesk.permissions import ADMIN, MANAGER

    managers = list(
        get_user_model().objects.filter(is_active=True, groups__name__in=[MANAGER, ADMIN]).distinct()
    )
    for row in Notification.objects.filter(pk__in=ids).select_related("ticket"):
        where = f" about #{row.ticket.number}" if row.ticket else ""
        text = (
            f"An email to {row.recipient_email or 'a staff member'}{where} (“{row.subject}”) could not be "
            f"sent after {row.attempts} attempts: {row.error[:300]} Check the mail settings, then use "
            "“Send again” on the Outgoing mail screen."
        )
        for manager in managers:
            notify_user(row.ticket, manager, "outbox_failed", f"outbox_failed:{row.pk}:{manager.pk}", text)


def send_again(pk: int) -> bool:
    """A manager sends a failed email again (a fresh round of attempts, the same Message-ID so a duplicate
    is recognisable downstream). Only failed rows; returns whether one was reset."""
    reset = Notification.objects.filter(pk=pk, state=Notification.State.FAILED).update(
        state=Notification.State.PENDING, attempts=0, claimed_at=None, error=""
    )
    if reset:
        _kick_on_commit()
    return bool(reset)

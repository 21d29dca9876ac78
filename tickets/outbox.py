"""The notification outbox (DESIGN §2, §11). Rows are written in the caller's transaction; a Celery task
drains them after commit. Each row has a unique ``dedupe_key`` per (ticket, reason, cycle), and a row is
claimed with a compare-and-set before sending, so a retry, a second worker or a second job run never
sends the same notice twice (at most once; a crash mid-send leaves the row ``sending`` for a person)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import Notification, Ticket

log = logging.getLogger(__name__)


def _create(**fields: Any) -> Notification | None:
    try:
        with transaction.atomic():
            row = Notification.objects.create(**fields)
    except IntegrityError:
        return None  # already queued for this (ticket, reason, cycle)
    # One kick per transaction, however many rows it queues.
    if not any(entry[1] is _kick for entry in connection.run_on_commit):
        transaction.on_commit(_kick)
    return row


def _kick() -> None:
    from .tasks import send_notifications

    try:
        send_notifications.delay()
    except Exception:  # the broker may be down; beat drains the outbox every 30 s anyway
        log.warning("could not queue send_notifications; the periodic run will send it", exc_info=True)


def notify_requester(ticket: Ticket, reason: str, dedupe_key: str, body: str) -> Notification | None:
    """Email the requester. Only public text may be passed here: internal notes never reach requesters."""
    return _create(
        ticket=ticket,
        recipient_email=ticket.requester.email,
        channel=Notification.Channel.EMAIL,
        reason=reason,
        dedupe_key=dedupe_key,
        subject=f"[#{ticket.number}] {ticket.subject}"[:250],
        body=body,
    )


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
    """Send up to ``limit`` pending notifications; returns how many were sent."""
    sent = 0
    ids = list(
        Notification.objects.filter(state=Notification.State.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for pk in ids:
        claimed = Notification.objects.filter(pk=pk, state=Notification.State.PENDING).update(
            state=Notification.State.SENDING, attempts=F("attempts") + 1
        )
        if not claimed:
            continue  # another worker has it
        row = Notification.objects.get(pk=pk)
        try:
            if row.channel == Notification.Channel.EMAIL and row.recipient_email:
                send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.recipient_email])
        except Exception as exc:  # SMTP is a true boundary: record and move on
            log.exception("notification %s failed", pk)
            Notification.objects.filter(pk=pk).update(state=Notification.State.FAILED, error=str(exc)[:2000])
            continue
        Notification.objects.filter(pk=pk).update(state=Notification.State.SENT, sent_at=timezone.now())
        sent += 1
    return sent

"""The notification outbox and the inbound-message store (DESIGN §2, §11)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .ticket import Ticket


class Notification(models.Model):
    """Outbox row, written in the same transaction as the change it announces (DESIGN §2, §11)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        IN_APP = "in_app", "In-app"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_inbox (recipient_user, read_at) serves every lookup by recipient
    )
    recipient_email = models.EmailField(blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    reason = models.CharField(max_length=40)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    # One row per (ticket, reason, cycle): a retry or a second job run can never send twice.
    # Unique through the ``notification_dedupe`` constraint: no second (LIKE-pattern) index to maintain.
    dedupe_key = models.CharField(max_length=200)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Email threading: the Message-ID this notice is sent under (fixed at creation, so a retry reuses it)
    # and the conversation message it carries, if any.
    email_message_id = models.CharField(max_length=250, blank=True, default="")
    message = models.ForeignKey(
        "tickets.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        db_index=False,  # notification_message: only the rows that carry one (no in-app notice does)
    )
    # When a worker claimed the row for sending: a claim older than the lease is taken back (outbox.py).
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["email_message_id"], name="notification_email_id", condition=~Q(email_message_id="")
            ),
            # The outgoing-mail screen's keyset (email only): in-app notices, most rows, stay out of it.
            models.Index(fields=["id"], name="notification_email", condition=Q(channel="email")),
            models.Index(fields=["message"], name="notification_message", condition=Q(message__isnull=False)),
            models.Index(fields=["id"], name="notification_pending", condition=Q(state="pending")),
            models.Index(fields=["claimed_at"], name="notification_sending", condition=Q(state="sending")),
            models.Index(fields=["recipient_user", "read_at"], name="notification_inbox"),
        ]
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe")]

    def __str__(self) -> str:
        return f"{self.reason} → {self.recipient_email or self.recipient_user_id}"

    @classmethod
    def in_app(cls, **fields: Any) -> Notification:
        """A staff member's in-app notice. Nothing is sent for it (the bell and the notification centre show
        it, the digest emails it to who asked), so it is written as sent: it never waits in the outbox, and
        a burst of them (a band job turning thousands of tickets yellow) never holds a requester's email."""
        return cls(channel=cls.Channel.IN_APP, state=cls.State.SENT, sent_at=timezone.now(), **fields)


class InboundMessage(models.Model):
    """Every message a requester sends is stored here first, then processed (DESIGN §11)."""

    from_email = models.EmailField()
    subject = models.CharField(max_length=250, blank=True)
    body = models.TextField()
    ticket_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Ticket the message replies to."
    )
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["id"], name="inbound_unprocessed", condition=Q(processed_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"from {self.from_email} at {self.received_at:%Y-%m-%d %H:%M}"

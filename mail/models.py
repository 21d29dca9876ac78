"""The email channel (issue #13): every inbound message stored raw first, the blocklist, IMAP mailboxes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class InboundEmail(models.Model):
    """One message as it arrived, committed before any parsing: nothing a requester sends is lost."""

    class Channel(models.TextChoices):
        SMTP = "smtp", "SMTP"
        IMAP = "imap", "IMAP mailbox"
        WEBHOOK = "webhook", "Provider webhook"
        PIPE = "pipe", "MTA pipe"
        CONTACT = "contact", "Contact form"

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"
        HELD = "held", "Held (sender cap)"
        BLOCKED = "blocked", "Blocked sender"
        DISCARDED = "discarded", "Discarded"

    channel = models.CharField(max_length=8, choices=Channel.choices)
    mailbox = models.ForeignKey(
        "Mailbox", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    raw = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    envelope_from = models.CharField(max_length=320, blank=True)
    envelope_to = models.JSONField(default=list, blank=True)
    # Filled at store time when cheap (IMAP dedupe), else by processing.
    email_message_id = models.CharField(max_length=250, blank=True)
    from_email = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVED)
    outcome = models.CharField(max_length=200, blank=True, help_text="What processing did, in plain words.")
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    allow_over_cap = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_emails"
    )
    message = models.ForeignKey(
        "tickets.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_emails"
    )
    notification = models.ForeignKey(
        "tickets.Notification", null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    # The full text as received (before quoted history was folded away) and the sanitised HTML part.
    full_text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["id"], name="inbound_email_received", condition=Q(state="received")),
            models.Index(
                fields=["-id"],
                name="inbound_email_problems",
                condition=Q(state__in=["failed", "held", "blocked"]),
            ),
            models.Index(fields=["from_email", "received_at"], name="inbound_email_sender"),
            models.Index(
                fields=["email_message_id"], name="inbound_email_msgid", condition=~Q(email_message_id="")
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "email_message_id"],
                name="inbound_email_once_per_mailbox",
                condition=Q(mailbox__isnull=False) & ~Q(email_message_id=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk} from {self.from_email or self.envelope_from or '?'}"

    @property
    def is_problem(self) -> bool:
        return self.state in (self.State.FAILED, self.State.HELD, self.State.BLOCKED)


class BlockedSender(models.Model):
    """An address (``someone@spam.example``) or a whole domain (``spam.example``) whose mail opens nothing."""

    pattern = models.CharField(max_length=320, unique=True, help_text="An address, or a domain.")
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pattern"]

    def __str__(self) -> str:
        return self.pattern


class Mailbox(models.Model):
    """An IMAP mailbox polled every minute. The password is read from the environment variable named here."""

    class Security(models.TextChoices):
        SSL = "ssl", "TLS (IMAPS)"
        STARTTLS = "starttls", "STARTTLS"
        NONE = "none", "None (local testing only)"

    name = models.CharField(max_length=100, unique=True)
    host = models.CharField(max_length=200)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=8, choices=Security.choices, default=Security.SSL)
    username = models.CharField(max_length=200)
    password_env = models.CharField(
        max_length=100, help_text="Name of the environment variable holding the password (never stored here)."
    )
    folder = models.CharField(max_length=200, default="INBOX")
    move_to = models.CharField(
        max_length=200, blank=True, help_text="Move fetched messages to this folder (empty: mark them read)."
    )
    address = models.EmailField(blank=True, help_text="The support address this mailbox receives.")
    team = models.ForeignKey(
        "tickets.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return self.name

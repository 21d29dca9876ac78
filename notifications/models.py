"""Notification preferences, the email digest's progress, and outgoing chat webhooks with their
delivery outbox. The notices themselves are ``tickets.Notification`` rows (the one outbox)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .reasons import Channel, Group


class NotificationPreference(models.Model):
    """How one person hears about one group of notices (no row: in the app)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=12, choices=Group.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.IN_APP)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="notification_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.group}: {self.channel}"


class DigestCursor(models.Model):
    """The newest in-app notice already included in this person's email digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_id = models.BigIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digest {self.user_id} ≤ {self.last_id}"


class Webhook(models.Model):
    """An incoming-webhook URL of a chat tool (or any JSON receiver) and the events it is told about."""

    class Format(models.TextChoices):
        SLACK = "slack", "Slack"
        TEAMS = "teams", "Microsoft Teams"
        MATTERMOST = "mattermost", "Mattermost"
        JSON = "json", "Generic JSON (signed with HMAC-SHA256)"

    class Event(models.TextChoices):
        ONCALL_PAGE = "oncall_page", "On-call page"
        TICKET_RED = "ticket_red", "A ticket turned red"
        KNOWN_ISSUE_NEW = "known_issue_new", "New known issue"
        KNOWN_ISSUE_RESOLVED = "known_issue_resolved", "Known issue resolved"
        STATUS_POST = "status_post", "Status-page post"

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.SLACK)
    secret = models.CharField(max_length=200, blank=True, help_text="Signs generic JSON deliveries.")
    on_oncall_page = models.BooleanField("On-call page", default=True)
    on_ticket_red = models.BooleanField("A ticket turned red", default=False)
    on_known_issue_new = models.BooleanField("New known issue", default=False)
    on_known_issue_resolved = models.BooleanField("Known issue resolved", default=False)
    on_status_post = models.BooleanField("Status-page post", default=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def listens_to(self, event: str) -> bool:
        return bool(getattr(self, f"on_{event}", False))


class WebhookDelivery(models.Model):
    """Outbox row of one chat post: claimed with a compare-and-set, retried with backoff, then failed."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=24, choices=Webhook.Event.choices)
    key = models.CharField(max_length=200, help_text="One delivery per (webhook, key): never posted twice.")
    title = models.CharField(max_length=250)
    text = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "key"], name="webhook_delivery_once")]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="webhook_due", condition=Q(state="pending")),
            models.Index(fields=["webhook", "-id"], name="webhook_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.state})"

"""Escalation (DESIGN §5, seed 004): who is in which tier this week, the on-call schedule and its paging
chain, the known-issue tracker with its status-page post, and the exactly-once bulk reply sent when a
known issue is resolved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from tickets.models import Tier


class ReviewTag(models.TextChoices):
    """The escalate-down review tags (004 "Review Tags"), reviewed weekly: their names, defined once."""

    MISSED_DOC_REVIEW = "Missed Doc Review"
    PROCESS_TWEAK = "Process Tweak"


REVIEW_TAGS: tuple[str, ...] = tuple(ReviewTag.values)


class TierAssignment(models.Model):
    """A person on a tier's rota for a date range (seed 000 "Support rota": weekly assignments).

    ``substitute_for`` marks a cover: the substitute works the tier in the other person's place."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tier_assignments"
    )
    tier = models.CharField(max_length=10, choices=Tier.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="Inclusive.")
    substitute_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "tier", "id"]
        indexes = [models.Index(fields=["tier", "starts_on", "ends_on"], name="tierassign_tier_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="tierassign_range_ok"
            ),
            models.UniqueConstraint(fields=["user", "tier", "starts_on"], name="tierassign_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.get_tier_display()} {self.starts_on}–{self.ends_on}"


class OnCallShift(models.Model):
    """Who is on call when; ``order`` is the position in the paging chain (1 = paged first)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oncall_shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "order", "id"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="oncall_shift_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="oncall_shift_range_ok"
            ),
        ]

    def __str__(self) -> str:
        span = f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"
        return f"{self.user} on call {span} (#{self.order})"


class OnCallPage(models.Model):
    """A ticket escalated to on-call that must be acknowledged within an hour (004 "On Call").

    ``step`` 0 = waiting for the first hour; 1 = the on-call person got the "wake me up" page;
    n ≥ 2 = the (n-1)th next person on the schedule was paged. ``next_step_at`` is the timer the beat
    job selects by (partial index); it is cleared on acknowledgement or when the chain is exhausted."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="oncall_pages")
    created_at = models.DateTimeField()
    step = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)
    paged_users = models.JSONField(default=list, blank=True, help_text="User ids paged so far, in order.")
    gap = models.BooleanField(default=False, help_text="Nobody was on call when paging; managers were paged.")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_step_at"], name="oncall_page_due", condition=Q(next_step_at__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(acknowledged_at__isnull=True),
                name="oncall_page_one_open_per_ticket",
            ),
        ]

    def __str__(self) -> str:
        return f"on-call page for #{self.ticket_id} (step {self.step})"


class KnownIssue(models.Model):
    class Status(models.TextChoices):
        INVESTIGATING = "investigating", "Investigating"
        KNOWN = "known", "Known"
        RESOLVED = "resolved", "Resolved"

    class Post(models.TextChoices):
        NONE = "none", "Not posted"
        INVESTIGATING = "investigating", "Investigating"
        KNOWN_ISSUE = "known_issue", "Known issue"
        RESOLVED = "resolved", "Resolved"

    number = models.PositiveIntegerField(unique=True, editable=False)
    title = models.CharField(max_length=200)
    short_name = models.SlugField(
        max_length=40, help_text="A couple of words; the tag is <number>-<short-name>."
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.INVESTIGATING)
    external_url = models.URLField(blank=True, help_text="Bug tracker link (GitHub issue, partner ticket).")
    description = models.TextField(blank=True, help_text="Internal notes: never shown on the status page.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    status_post = models.CharField(max_length=14, choices=Post.choices, default=Post.NONE)
    status_post_text = models.TextField(blank=True, help_text="Public text for the status page.")
    status_posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        indexes = [models.Index(fields=["status_post", "status_posted_at"], name="knownissue_post")]

    def __str__(self) -> str:
        return f"KI-{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("escalation:known_issue", args=[self.number])

    @property
    def tag_name(self) -> str:
        return f"{self.number}-{self.short_name}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED


class KnownIssueLink(models.Model):
    """A ticket affected by a known issue (one known issue per ticket)."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="known_issue_link")
    known_issue = models.ForeignKey(KnownIssue, on_delete=models.CASCADE, related_name="links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.ticket_id} → KI {self.known_issue_id}"


class KnownIssueBroadcast(models.Model):
    """The one public reply sent to every linked unfinished ticket when a known issue is resolved.

    Deliveries are created up front (one row per ticket, unique per broadcast), then sent in chunks,
    each in its own transaction together with the reply, so a crash or a second run never replies twice."""

    known_issue = models.OneToOneField(KnownIssue, on_delete=models.CASCADE, related_name="broadcast")
    body = models.TextField()
    set_status = models.CharField(
        max_length=10, blank=True, help_text="Status to set with the reply, if any."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"broadcast for KI {self.known_issue_id}"


class BroadcastDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"

    broadcast = models.ForeignKey(KnownIssueBroadcast, on_delete=models.CASCADE, related_name="deliveries")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    message = models.ForeignKey(
        "tickets.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "ticket"], name="broadcast_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["broadcast", "id"], name="broadcast_pending", condition=Q(state="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.state} #{self.ticket_id}"

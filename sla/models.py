"""SLA model (DESIGN §6): business calendars, per-tier policies, and one clock row per ticket visit to
a tier. Deadlines themselves live on ``tickets.Ticket`` (sla_green_until / sla_yellow_until) so queues
and the band job compare timestamps with an index. ``TicketSlaState`` holds the per-ticket timers of
the nudge and holding-reply jobs (one row per ticket, created by the clock receivers)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tickets.models import Organization, Priority, SlaBand, Ticket, Tier


class BusinessCalendar(models.Model):
    name = models.CharField(max_length=100, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    country = models.CharField(max_length=2, blank=True, help_text="ISO country code for public holidays.")
    subdivision = models.CharField(max_length=10, blank=True)
    # Working hours per weekday, Monday first: [["09:00", "17:00"], ..., null] (null = closed that day);
    # a list of pairs is a split shift: [["08:00", "12:00"], ["13:00", "17:00"]].
    weekly_hours = models.JSONField(default=list, blank=True)
    extra_holidays = models.JSONField(default=list, blank=True, help_text='Local dates, e.g. ["2026-12-24"].')
    is_default = models.BooleanField(default=False)
    # Raised by every save through sla.services: an edit based on an older version is refused (409).
    version = models.PositiveIntegerField(default=1)
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="sla_calendars",
        help_text="Organizations whose tickets use this calendar instead of the default.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_calendar"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from .calendars import validate_calendar

        validate_calendar(
            self.time_zone, self.country, self.subdivision, self.weekly_hours, self.extra_holidays
        )


# Sane bounds for a policy's limits: 60 business days of 8 hours (a limit of decades made an approval take
# seconds and overflowed the deadline arithmetic).
MAX_LIMIT_SECONDS = 60 * 8 * 3600
LIMIT_TOO_LONG = "A limit can be at most 60 business days (480 business hours)."


class SlaPolicy(models.Model):
    """Green and yellow limits in business seconds for a tier (optionally one priority); then red."""

    tier = models.CharField(max_length=10, choices=Tier.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True, default="")
    green_seconds = models.PositiveIntegerField()
    yellow_seconds = models.PositiveIntegerField()
    calendar = models.ForeignKey(BusinessCalendar, null=True, blank=True, on_delete=models.SET_NULL)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Warned when a ticket of this tier turns red (and yellow when nobody owns it).",
    )
    version = models.PositiveIntegerField(default=1)  # see BusinessCalendar.version

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tier", "priority"], name="one_policy_per_tier_priority"),
            models.CheckConstraint(
                condition=Q(yellow_seconds__gte=models.F("green_seconds")), name="yellow_after_green"
            ),
        ]
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return f"{self.get_tier_display()} {self.priority or 'any priority'}"

    def clean(self) -> None:
        if self.green_seconds is not None and self.green_seconds <= 0:
            raise ValidationError({"green_seconds": "Green must be longer than zero."})
        for field in ("green_seconds", "yellow_seconds"):
            if (getattr(self, field) or 0) > MAX_LIMIT_SECONDS:
                raise ValidationError({field: LIMIT_TOO_LONG})
        if None not in (self.green_seconds, self.yellow_seconds) and self.yellow_seconds < self.green_seconds:
            raise ValidationError({"yellow_seconds": "Yellow cannot be shorter than green."})


class SlaClock(models.Model):
    """One row per (ticket, tier visit): started when the ticket appears in the tier's view, stopped when
    the tier responds or the ticket leaves. Reports aggregate these rows. The limits are copied from the
    policy at start, so a policy edit never changes a running clock."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_clocks")
    tier = models.CharField(max_length=10, choices=Tier.choices)
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=20, blank=True)  # responded | left_tier | resolved | closed
    business_seconds = models.FloatField(
        default=0, help_text="Business time used, updated on pause and stop."
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    final_band = models.CharField(max_length=6, choices=SlaBand.choices, blank=True, default="")
    # Since when the clock has been counting (null while paused or stopped).
    running_since = models.DateTimeField(null=True, blank=True)
    green_seconds = models.PositiveIntegerField(default=0)
    yellow_seconds = models.PositiveIntegerField(default=0)
    calendar = models.ForeignKey(BusinessCalendar, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [
            models.Index(fields=["ticket"], name="slaclock_running", condition=Q(stopped_at__isnull=True)),
            models.Index(fields=["tier", "stopped_at"], name="slaclock_tier_stopped"),
            # Compliance trend over a date range across all tiers (dashboard), read from the index alone.
            models.Index(
                fields=["stopped_at"],
                include=["tier", "final_band"],
                name="slaclock_stopped_band",
                condition=Q(stopped_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.tier} from {self.started_at:%Y-%m-%d %H:%M}"


class TicketSlaState(models.Model):
    """Per-ticket timers of the nudge (002) and holding-reply (004 T3) jobs, and who set the commitment."""

    ticket = models.OneToOneField(
        Ticket, primary_key=True, on_delete=models.CASCADE, related_name="sla_state"
    )
    nudge_due_at = models.DateTimeField(null=True, blank=True)
    nudges_sent = models.PositiveIntegerField(default=0)
    holding_due_at = models.DateTimeField(null=True, blank=True)
    holding_offered_at = models.DateTimeField(null=True, blank=True)
    holding_reply = models.TextField(blank=True, help_text="Ready-made holding reply offered to the owner.")
    commitment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commitment_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["nudge_due_at"], name="slastate_nudge_due", condition=Q(nudge_due_at__isnull=False)
            ),
            models.Index(
                fields=["holding_due_at"],
                name="slastate_holding_due",
                condition=Q(holding_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"SLA state of #{self.ticket_id}"

"""Organizations, contacts, teams, tickets, their conversation and the append-only audit trail."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse

from helpdesk.people import display_name

from .choices import (
    UNFINISHED_STATUSES,
    Kind,
    MessageFormat,
    MessageKind,
    NextAction,
    Priority,
    SlaBand,
    Status,
    Tier,
    TriageDecision,
    Visibility,
)


class Organization(models.Model):
    name = models.CharField(max_length=200, unique=True)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    programme_delivery_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Per-organization overrides of settings.HELPDESK_TIMERS (days); empty means "use the default".
    pending_reminder_days = models.PositiveSmallIntegerField(null=True, blank=True)
    pending_resolve_days = models.PositiveSmallIntegerField(null=True, blank=True)
    resolved_close_days = models.PositiveSmallIntegerField(null=True, blank=True)
    waiting_reopen_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Email: senders from these domains belong to the organization; new emailed tickets are acknowledged.
    email_domains = models.CharField(
        max_length=500, blank=True, help_text="Email domains of this organization, comma separated."
    )
    send_acknowledgements = models.BooleanField(
        default=True, help_text="Acknowledge every new ticket that arrives by email."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A client's person. ``user`` is set when they can sign in to the portal."""

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    is_authorised = models.BooleanField(
        default=False, help_text="May request changes on behalf of the organization."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="contact"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="support_teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """Named sequences (ticket numbers, known-issue numbers) incremented with one UPDATE."""

    name = models.CharField(max_length=50, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Ticket(models.Model):
    number = models.PositiveIntegerField(unique=True, editable=False)
    subject = models.CharField(max_length=200)
    requester = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="tickets")
    # Copied from the requester when the ticket is created: customers are scoped by it on every read.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.QUESTION)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.TRIAGE)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="followed_tickets")
    # Contacts copied on the conversation (email Cc): they receive public replies, never internal notes.
    cc_contacts = models.ManyToManyField(Contact, blank=True, related_name="cc_tickets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="split_tickets"
    )
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text="The Closed ticket a requester replied to.",
    )
    triage_decision = models.CharField(max_length=12, choices=TriageDecision.choices, blank=True, default="")
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    chargeable = models.BooleanField(default=False)
    notify_product = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    last_public_reply_at = models.DateTimeField(null=True, blank=True)
    last_requester_reply_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    tier_entered_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # The status timer (DESIGN §4): what happens next, and when. Cleared when nothing is due.
    next_action = models.CharField(max_length=12, choices=NextAction.choices, blank=True, default="")
    next_action_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    hold_days = models.PositiveSmallIntegerField(null=True, blank=True)

    # SLA (DESIGN §6): absolute deadlines while the clock runs, remaining business seconds while paused.
    sla_band = models.CharField(max_length=6, choices=SlaBand.choices, blank=True, default="")
    sla_green_until = models.DateTimeField(null=True, blank=True)
    sla_yellow_until = models.DateTimeField(null=True, blank=True)
    sla_paused_green_seconds = models.FloatField(null=True, blank=True)
    sla_paused_yellow_seconds = models.FloatField(null=True, blank=True)

    # "Next update by" promised to the requester (000 "stick to your commitments").
    commitment_due_at = models.DateTimeField(null=True, blank=True)
    commitment_reminded_at = models.DateTimeField(null=True, blank=True)
    commitment_missed = models.BooleanField(default=False)

    # Merge (issue #16): a source ticket closes "merged into #n"; its conversation now lives on the target
    # and a requester writing to it lands there (tickets/services/merge.py).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_sources"
    )
    # Spam (issue #16, 003 "spam doesn't need a response"): set, the ticket is out of every queue.
    spam_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-number"]
        indexes = [
            models.Index(
                fields=["next_action_at"],
                name="ticket_next_action_due",
                condition=Q(next_action_at__isnull=False),
            ),
            models.Index(fields=["tier", "status", "id"], name="ticket_queue"),
            models.Index(fields=["assignee", "status", "id"], name="ticket_assignee"),
            models.Index(fields=["team", "status", "id"], name="ticket_team"),
            models.Index(fields=["organization", "status", "id"], name="ticket_org"),
            models.Index(fields=["status", "updated_at"], name="ticket_status_updated"),
            models.Index(
                fields=["sla_yellow_until"],
                name="ticket_sla_due",
                condition=Q(sla_yellow_until__isnull=False) & Q(status__in=["open", "review"]),
            ),
            # The staff "Spam" list (tickets/views/spam.py).
            models.Index(fields=["spam_at"], name="ticket_spam", condition=Q(spam_at__isnull=False)),
            models.Index(
                fields=["commitment_due_at"],
                name="ticket_commitment_due",
                condition=Q(commitment_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        # The prefix is reversed once per URLconf and script prefix: lists call this for every row.
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        return f"{_detail_prefix(urlconf, get_script_prefix())}{self.number}/"

    @property
    def is_unfinished(self) -> bool:
        return self.status in UNFINISHED_STATUSES


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    kind = models.CharField(max_length=12, choices=MessageKind.choices, default=MessageKind.REPLY)
    body = models.TextField()
    # How ``body`` is written (tickets/formatting.py); ``body_html`` keeps an HTML email's sanitised markup.
    format = models.CharField(max_length=8, choices=MessageFormat.choices, default=MessageFormat.PLAIN)
    body_html = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # The RFC 5322 Message-ID this message was received with or sent under (email threading).
    email_message_id = models.CharField(max_length=250, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_ticket"),
            models.Index(
                fields=["email_message_id"], name="message_email_id", condition=~Q(email_message_id="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} on #{self.ticket_id}"

    @property
    def is_internal(self) -> bool:
        return self.visibility == Visibility.INTERNAL

    @property
    def author_name(self) -> str:
        if self.author_user_id:
            return display_name(self.author_user)
        if self.author_contact_id:
            return self.author_contact.name
        return "Helpdesk"


class TicketEvent(models.Model):
    """Append-only audit trail. ``actor`` empty means the system did it."""

    # event_ticket (ticket, at) serves every lookup by ticket: no second index on each insert.
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", db_index=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # event_actor: only people's events (a sweep's or the band job's have none)
    )
    verb = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["ticket", "at"], name="event_ticket"),
            models.Index(fields=["verb", "at"], name="event_verb"),
            models.Index(fields=["actor"], name="event_actor", condition=Q(actor__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.verb} on #{self.ticket_id}"


@lru_cache(maxsize=16)
def _detail_prefix(urlconf: str, script_prefix: str) -> str:
    """``/tickets/`` — the ticket page's URL without its number (``tickets:detail`` ends in ``<n>/``)."""
    return reverse("tickets:detail", args=[0], urlconf=urlconf)[:-2]

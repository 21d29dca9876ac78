"""Triage records (DESIGN §5): the project backlog fed by "Project" decisions and the confirmations
that unlock change requests from contacts who are not authorised (000/001)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


class ProjectItem(models.Model):
    """A ticket judged to be project work (002 "Move the ticket information to a project backlog")."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.PROTECT, related_name="project_item")
    organization = models.ForeignKey(
        "tickets.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="project_items"
    )
    title = models.CharField(max_length=200)
    # The ticket's conversation as it stood at the decision (public messages, oldest first).
    content = models.TextField()
    requester_name = models.CharField(max_length=200)
    requester_email = models.EmailField()
    delivery_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Project item from #{self.ticket.number}: {self.title}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class AuthorisationRequest(models.Model):
    """A request to an authorised contact to confirm a change request raised by someone who is not."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="authorisation_requests"
    )
    requested_from = models.ForeignKey("tickets.Contact", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The secret in the emailed link; whoever holds it may confirm, so it is long and random.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "tickets.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The queue's "unlocked?" and "pending?" subqueries look rows up by ticket.
            models.Index(fields=["ticket", "confirmed_at"], name="authreq_ticket"),
        ]
        constraints = [
            # One open request per (ticket, contact): asking twice re-sends nothing new.
            models.UniqueConstraint(
                fields=["ticket", "requested_from"],
                name="authreq_one_open",
                condition=Q(confirmed_at__isnull=True) & Q(declined_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Authorisation of #{self.ticket_id} by {self.requested_from_id}"

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None and self.declined_at is None


class EffortReview(models.Model):
    """An effort estimate over the limit, raised with the Operations Lead (002 "more than 3 days to complete
    without prior arrangement"): the ticket carries "awaiting operations lead" until a lead decides."""

    class Decision(models.TextChoices):
        GO_AHEAD = "go_ahead", "Carry on as support work"
        ARRANGE = "arrange", "Agree a plan with the requester first"
        PROJECT = "project", "Treat it as project work"

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="effort_review")
    estimate_days = models.DecimalField(max_digits=5, decimal_places=1)
    note = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField()
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        indexes = [
            # The triage screen's "awaiting operations lead" list: undecided rows, oldest first.
            models.Index(fields=["raised_at"], name="effort_awaiting", condition=Q(decided_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"Effort review of #{self.ticket_id}: {self.estimate_days} days"

    @property
    def awaiting(self) -> bool:
        return self.decided_at is None

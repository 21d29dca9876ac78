"""Macros (issue #16 §4, 004 "think about how to automate it – macro …"): a canned reply plus the
ticket changes that usually go with it, applied in one step.

The team and the assignee are kept by slug / username rather than as foreign keys: deleting a team must
not silently turn "send to Tier 2 team" into "send nowhere". A macro that names something gone is refused
with a clear message when applied (``macros.services.MacroInvalid``), nothing changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tickets.models import Priority, Status, Tier

ASSIGN_ME = "@me"  # assignee_username value: the person applying the macro takes the ticket


class Macro(models.Model):
    title = models.CharField(max_length=120)
    # Public reply with placeholders as in canned responses (tickets/canned.py); empty = no reply.
    body = models.TextField(blank=True)
    # Internal note added with the macro (placeholders too); empty = no note.
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    hold_days = models.PositiveSmallIntegerField(null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    team_slug = models.SlugField(blank=True, help_text="Route to this team (by its slug).")
    assignee_username = models.CharField(max_length=150, blank=True)
    add_tags = models.CharField(max_length=500, blank=True, help_text="Comma separated.")
    send_to_engagement = models.BooleanField(default=False)
    engagement_reason = models.CharField(max_length=30, blank=True)
    # Personal macros have an owner and are offered to that person only; shared ones have none.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="macros"
    )
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"], condition=models.Q(owner__isnull=True), name="macro_shared_title"
            ),
            models.UniqueConstraint(fields=["owner", "title"], name="macro_owner_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shared(self) -> bool:
        return self.owner_id is None

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.add_tags.split(",") if t.strip()]

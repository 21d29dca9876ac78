"""What only the agent screens need (issue #3): saved queue views, server-side reply drafts and
canned responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedView(models.Model):
    """A named queue + filter combination one agent keeps (``query`` is the URL query string)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=80)
    queue = models.CharField(max_length=60, default="all")
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedview_user_name")]

    def __str__(self) -> str:
        return self.name


class ReplyDraft(models.Model):
    """An unsent reply, autosaved per (user, ticket) and deleted when the reply is sent (issue #3 §4)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reply_drafts")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="reply_drafts")
    body = models.TextField(blank=True)
    internal = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "ticket"], name="replydraft_user_ticket")]

    def __str__(self) -> str:
        return f"draft by {self.user_id} on #{self.ticket_id}"


class TicketSeen(models.Model):
    """When an agent last had a ticket open (the workspace's beacon): the queues mark a ticket "new" when
    it was opened by the requester, or they wrote again, after that."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "ticket"], name="ticketseen_user_ticket")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} seen by {self.user_id}"


class CannedResponse(models.Model):
    """A reusable reply with placeholders such as ``{{ requester.first_name }}`` (see tickets/canned.py)."""

    title = models.CharField(max_length=120, unique=True)
    body = models.TextField()
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

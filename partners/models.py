"""Side conversations with partners (issue #16 §6, 004 "Partner questions": "If email, open a side
thread on the ticket. Ask for the partner ticket number … CC dev@ and tier2@ on all partner
communications of any type").

A side conversation hangs off a ticket but is not part of its conversation: its messages are
:class:`SideMessage` rows, never ``tickets.Message``, so nothing that shows or mails the ticket's
conversation to the requester (portal, API, notifications) can reach them. Outgoing partner mail has
its own small outbox here (the rows are the messages themselves), sent after commit by
``partners.tasks.send_side_messages``; replies thread back by Message-ID in the inbound email path
(``mail/services/processing.py`` asks :func:`partners.inbound.conversation_for` first), or by the
conversation's signed ``support+side-<id>-<hmac>@`` Reply-To address when a mail client drops the
In-Reply-To header."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TeamPartnerSettings(models.Model):
    """Per team: the addresses always copied on partner mail (004's dev@ and tier2@)."""

    team = models.OneToOneField("tickets.Team", on_delete=models.CASCADE, related_name="partner_settings")
    always_cc = models.TextField(
        blank=True, help_text="Addresses copied on every partner email, comma separated."
    )

    class Meta:
        verbose_name_plural = "team partner settings"

    def __str__(self) -> str:
        return f"Partner mail of {self.team}"

    def addresses(self) -> list[str]:
        return [a.strip().lower() for a in self.always_cc.replace(";", ",").split(",") if a.strip()]


class SideConversation(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="side_conversations")
    partner_email = models.EmailField()
    partner_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200)
    partner_ticket = models.CharField("partner ticket number", max_length=100, blank=True)
    # The copied addresses in force when it started (the team's setting may change later).
    cc = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.ticket_id} ↔ {self.partner_email}"


class SideMessage(models.Model):
    class Direction(models.TextChoices):
        OUT = "out", "To the partner"
        IN = "in", "From the partner"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        RECEIVED = "received", "Received"

    conversation = models.ForeignKey(SideConversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_email = models.EmailField(blank=True)
    body = models.TextField()
    email_message_id = models.CharField(max_length=250, db_index=True)
    state = models.CharField(max_length=8, choices=State.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    inbound_email = models.ForeignKey(
        "mail.InboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["state"], name="sidemsg_pending", condition=models.Q(state="pending"))
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.email_message_id}"

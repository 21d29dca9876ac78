"""Links between tickets (issue #16 §5): related, and parent/child (one problem ticket, many reports)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LinkKind(models.TextChoices):
    RELATED = "related", "Related"
    PARENT = "parent", "Parent of"  # from_ticket is the parent (problem) ticket of to_ticket


class TicketLink(models.Model):
    """One link, stored once. ``related`` reads the same both ways; ``parent`` means ``from_ticket`` is the
    parent of ``to_ticket`` (a child has at most one parent)."""

    from_ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="links_out")
    to_ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=8, choices=LinkKind.choices, default=LinkKind.RELATED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_ticket", "to_ticket"], name="ticketlink_pair"),
            models.UniqueConstraint(
                fields=["to_ticket"], condition=models.Q(kind="parent"), name="ticketlink_one_parent"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_ticket=models.F("to_ticket")), name="ticketlink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_ticket_id} {self.kind} {self.to_ticket_id}"

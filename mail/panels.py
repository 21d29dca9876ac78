"""What the workspace's Email panel needs (listed in ``helpdesk/workspace.py``): the ticket's received
emails without their raw bytes (a message of several megabytes is read only when someone opens it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tickets.models import Ticket

from .models import InboundEmail


def workspace_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    emails = InboundEmail.objects.filter(ticket=ticket).order_by("-id")  # newest first, as before
    return {"ticket_emails": list(emails.only("pk", "received_at", "from_email"))}

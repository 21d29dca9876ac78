"""The workspace panel "Partner conversations" (listed in helpdesk/workspace.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tickets.models import Ticket

from . import selectors, services
from .forms import StartForm


def workspace_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    return {
        "side_conversations": selectors.conversations_of(ticket),
        "side_start_form": StartForm(),
        "side_always_cc": services.always_cc(ticket),
    }

"""What the SLA's workspace panel ("Next update") and the reply form's "next update by" field need, built by
the view: listed in ``helpdesk/workspace.py`` with both templates, so the quick picks are computed once."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tickets.models import Ticket

from . import selectors
from .forms import CommitmentForm


def workspace_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    panel = selectors.commitment_panel(ticket)
    return {
        "next_update_picks": panel["picks"],
        "sla_commitment": {"form": CommitmentForm(), "done": "", **panel},
    }

"""What the reply form's "next update by" field needs, built by the view (listed in ``helpdesk/workspace.py``
with the reply extension) instead of a template tag that ran the queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tickets.models import Ticket

from .commitments import quick_picks


def workspace_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    return {"next_update_picks": quick_picks(ticket)}

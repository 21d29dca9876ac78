"""What the reply form's "next update by" field needs, built by the view (listed in ``helpdesk/workspace.py``
with the reply extension) instead of a template tag that ran the queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from tickets.models import Ticket
from tickets.select_options import options

from .commitments import quick_picks


def workspace_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    picks = quick_picks(ticket)
    return {"next_update_picks": picks, "next_update_options": _options(picks)}


def _options(picks: list[tuple[str, dt.datetime]]) -> str:
    """The quick picks as ``<option>`` tags (every workspace view shows them; a template loop with a date
    filter per option cost a third of the reply form)."""
    shown = []
    for label, value in picks:
        local = timezone.localtime(value)
        shown.append((value.isoformat(), f"{label} ({local:%a} {local.day} {local:%b %H:%M})"))
    return options(shown)

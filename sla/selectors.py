"""Reads of the sla app for its screens (the manager reports live in the ``reports`` app)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tickets.models import Ticket

from .commitments import quick_picks
from .models import TicketSlaState


def commitment_panel(ticket: Ticket, now: dt.datetime | None = None) -> dict[str, Any]:
    """Quick picks and the offered holding reply for the workspace panel (3 queries)."""
    state = TicketSlaState.objects.filter(ticket=ticket).only("holding_reply").first()
    return {"picks": quick_picks(ticket, now), "holding_reply": state.holding_reply if state else ""}

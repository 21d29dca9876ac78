"""Signal receivers (run inside the sender's transaction; connected in helpdesk/wiring.py)."""

from __future__ import annotations

import logging
from typing import Any

from tickets.models import Tier

log = logging.getLogger(__name__)


def on_tier_changed(sender: Any, ticket: Any, at: Any, old: str, new: str, **kwargs: Any) -> None:
    from .services import oncall

    if new == Tier.ONCALL:
        oncall.open_page(ticket, at)
    elif old == Tier.ONCALL:
        oncall.stop_paging(ticket)

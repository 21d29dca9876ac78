"""Signal receivers (run inside the sender's transaction) and workspace-panel registration."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from tickets.models import Tier

log = logging.getLogger(__name__)

PANELS = [
    "escalation/panels/timebox.html",
    "escalation/panels/oncall_ack.html",
    "escalation/panels/escalate_up.html",
    "escalation/panels/escalate_down.html",
    "escalation/panels/known_issue.html",
    "escalation/panels/routing.html",
]


def on_tier_changed(sender: Any, ticket: Any, at: Any, old: str, new: str, **kwargs: Any) -> None:
    from .services import oncall

    if new == Tier.ONCALL:
        oncall.open_page(ticket, at)
    elif old == Tier.ONCALL:
        oncall.stop_paging(ticket)


def register_panels() -> None:
    """Add our panels to the ticket workspace when the core offers ``tickets.panels.register_panel``;
    otherwise the standalone page /escalation/tickets/<number>/ carries them."""
    try:
        panels = import_module("tickets.panels")
    except ModuleNotFoundError:
        return
    register = getattr(panels, "register_panel", None)
    if register is None:
        return
    for name in PANELS:
        register(name)

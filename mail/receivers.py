"""Receivers of the ticket domain signals for the mail channel (connected in ``helpdesk/wiring.py``)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from tickets.errors import InvalidInput
from tickets.models import Ticket

from .services import blocklist

log = logging.getLogger(__name__)


def on_spam_changed(ticket: Ticket, at: dt.datetime, by: Any = None, spam: bool = False, **_: Any) -> None:
    """Marked as spam: the sender's future mail never opens a ticket; "Not spam" lifts that block."""
    address = ticket.requester.email
    if spam:
        try:
            blocklist.block_sender(address, by, reason=f"Marked as spam on #{ticket.number}")
        except InvalidInput:  # an address the blocklist cannot hold (no domain): the ticket is still spam
            log.warning("spam on #%s: sender %r cannot be blocked", ticket.number, address)
    else:
        blocklist.unblock_sender(address, by)

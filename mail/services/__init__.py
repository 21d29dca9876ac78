"""Writes of the email channel. Store first (``store``), then process (``processing``)."""

from .blocklist import block_sender, is_blocked, unblock_sender
from .processing import process, sweep
from .store import store

__all__ = ["store", "process", "sweep", "block_sender", "unblock_sender", "is_blocked"]

"""Who else has a ticket open, and who is typing a reply: kept in the cache with a short expiry and
refreshed by the workspace's HTMX poll every few seconds (no websocket server needed).

One cache entry per ticket maps user id → (name, seen, typing until). Two people polling at the same
instant may each write the entry without the other: the next poll (seconds later) puts them back."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db import connection

POLL_SECONDS = 3
SEEN_FOR = 10  # gone this long after the last poll (the tab was closed or the person left)
TYPING_FOR = 6


def _key(ticket_id: int) -> str:
    return f"presence:{connection.settings_dict['NAME']}:{ticket_id}"


def _fresh(entries: dict[int, tuple], now: float) -> dict[int, tuple]:
    return {uid: e for uid, e in entries.items() if now - e[1] < SEEN_FOR}


def touch(ticket_id: int, user: Any, *, typing: bool) -> list[dict[str, Any]]:
    """Record that ``user`` is here (and typing); return the OTHER people present."""
    now = time.time()
    entries = _fresh(cache.get(_key(ticket_id)) or {}, now)
    old = entries.get(user.pk)
    typing_until = now + TYPING_FOR if typing else (old[2] if old else 0)
    entries[user.pk] = (user.get_full_name() or user.get_username(), now, typing_until)
    cache.set(_key(ticket_id), entries, SEEN_FOR * 3)
    return [
        {"name": e[0], "typing": e[2] > now}
        for uid, e in sorted(entries.items(), key=lambda item: item[1][0])
        if uid != user.pk
    ]


def leave(ticket_id: int, user: Any) -> None:
    entries = cache.get(_key(ticket_id)) or {}
    if entries.pop(user.pk, None) is not None:
        cache.set(_key(ticket_id), entries, SEEN_FOR * 3)

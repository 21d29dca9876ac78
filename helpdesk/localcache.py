"""A few seconds of per-process memory in front of the shared cache, for display-only lookups read on every
page (the queue's filter choices, the SLA calendar map): saves a cache round trip per page. Values may be
up to ``seconds`` older than the shared cache in other processes — use it only where that is harmless."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

_lock = threading.Lock()
_memo: dict[str, tuple[float, Any]] = {}


def remembered(key: str, seconds: float, load: Callable[[], Any]) -> Any:
    now = time.monotonic()
    found = _memo.get(key)
    if found is not None and found[0] > now:
        return found[1]
    value = load()
    with _lock:
        _memo[key] = (now + seconds, value)
    return value


def forget(key: str) -> None:
    with _lock:
        _memo.pop(key, None)


def forget_all() -> None:
    with _lock:
        _memo.clear()

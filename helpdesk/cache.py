"""A Redis cache that never takes a page down with it (issue #15, item 1).

Everything the helpdesk keeps in the cache can be recomputed from the database (roles, filter choices,
saved views, the SLA calendar map, dashboard aggregates). So when Redis is unreachable, a read answers
"not cached" (the caller loads from the database), a write or delete is skipped, and an ``incr`` answers
like a missing key (``ValueError``). After a failure the cache is not asked again for a few seconds, so a
Redis that hangs costs one short timeout per process, not one per lookup. Each skip is logged once per
outage, not once per call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_AFTER_SECONDS = 5.0


def _outage_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.RedisError, OSError)


# SET each key with its value and the same expiry, in one command (``set_many`` of many keys).
_SET_MANY_EX = (
    "local ttl = ARGV[#ARGV] for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[i], 'EX', ttl) end"
)
SET_MANY_SCRIPT_FROM = 20  # keys; fewer go through Django's pipeline


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` (with its ~170 response callbacks) for every cache
    call — ~0.2 ms each on a small VM, several times per page. One client per connection pool is enough:
    a ``redis.Redis`` is thread-safe and holds no connection of its own.

    ``set_many`` of many keys with an expiry is one script call: Django's pipelines an MSET and one EXPIRE
    per key, ~10 µs of Python each (the band job retires 2,000 tickets' fragments per chunk)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def set_many(self, data: dict[Any, Any], timeout: int | None) -> None:
        if timeout is None or timeout <= 0 or len(data) < SET_MANY_SCRIPT_FROM:
            super().set_many(data, timeout)
            return
        values = [self._serializer.dumps(value) for value in data.values()]
        self.get_client(None, write=True).eval(_SET_MANY_EX, len(data), *data, *values, timeout)


class SafeRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that degrades to "no cache" on connection errors."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0
        self._lock = threading.Lock()

    def make_and_validate_key(self, key: Any, version: Any = None) -> str:
        """The key without Django's per-key memcached portability check (a regex and a generator per
        key): Redis takes any key, ours are made by code, and a sweep's chunk deletes 10,000 at once
        (30 → 10 ms)."""
        return self.make_key(key, version=version)

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _guard(self, operation: str, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if self.is_down:
            return fallback()
        try:
            return call()
        except _outage_errors() as exc:
            with self._lock:
                first = not self.is_down
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            if first:
                log.warning("cache unreachable (%s: %s); using the database until it answers", operation, exc)
            return fallback()

    def ping(self) -> bool:
        """True when Redis answers now (the health check asks even during the retry pause)."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except _outage_errors():
            return False

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._guard("add", lambda: super(SafeRedisCache, self).add(key, value, timeout, version), bool)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guard(
            "get", lambda: super(SafeRedisCache, self).get(key, default, version), lambda: default
        )

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> None:
        self._guard(
            "set", lambda: super(SafeRedisCache, self).set(key, value, timeout, version), lambda: None
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._guard("touch", lambda: super(SafeRedisCache, self).touch(key, timeout, version), bool)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._guard("delete", lambda: super(SafeRedisCache, self).delete(key, version), bool)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._guard("get_many", lambda: super(SafeRedisCache, self).get_many(keys, version), dict)

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._guard("has_key", lambda: super(SafeRedisCache, self).has_key(key, version), bool)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        def missing() -> int:
            raise ValueError(f"Key {key!r} not found (cache unreachable)")

        return self._guard("incr", lambda: super(SafeRedisCache, self).incr(key, delta, version), missing)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        return self._guard(
            "set_many",
            lambda: super(SafeRedisCache, self).set_many(data, timeout, version),
            lambda: list(data),
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._guard(
            "delete_many", lambda: super(SafeRedisCache, self).delete_many(keys, version), lambda: None
        )

    def clear(self) -> bool:
        return self._guard("clear", lambda: super(SafeRedisCache, self).clear(), bool)

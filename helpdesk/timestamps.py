"""PostgreSQL timestamps read by psycopg's C loader (issue #20).

Django's PostgreSQL backend reads every ``timestamptz`` with a loader subclassing psycopg's *Python*
one (so it can attach ``settings.TIME_ZONE``), which parses each value in Python: about 10 µs a value,
so a queue page or My work with a few hundred rows spent a fifth of its time parsing dates. When the
session speaks UTC — Django's default with ``USE_TZ`` and no per-database ``TIME_ZONE`` — psycopg's C
loader already returns the same aware UTC datetimes, about twelve times faster. :func:`use_c_loader`
(a ``connection_created`` receiver, listed in ``helpdesk/wiring.py``) installs it on each new connection
behind a small class carrying the ``timezone`` Django compares before every cursor; elsewhere (SQLite, a
pure-Python psycopg, another session time zone) it does nothing."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any


def _c_loader() -> type | None:
    """psycopg's C ``timestamptz`` text loader, or None without the compiled implementation."""
    try:
        import psycopg
        from psycopg.postgres import types
        from psycopg.pq import Format
    except ImportError:
        return None
    if psycopg.pq.__impl__ not in ("c", "binary"):
        return None
    return psycopg.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)


@cache
def _utc_loader(c_loader: type) -> type:
    """The loader class, made once per process (not per connection)."""
    from psycopg.adapt import Loader

    class UtcTimestamptzLoader(Loader):
        timezone = dt.UTC  # what Django's backend checks before every cursor

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self.load = c_loader(oid, context).load  # type: ignore[method-assign]  # the C method itself

        def load(self, data: Any) -> dt.datetime:  # replaced per instance above
            raise NotImplementedError

    return UtcTimestamptzLoader


def use_c_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: a UTC PostgreSQL session reads ``timestamptz`` with the C loader."""
    if connection.vendor != "postgresql" or connection.timezone != dt.UTC:
        return
    if connection.timezone_name != "UTC":
        return
    c_loader = _c_loader()
    if c_loader is not None:
        connection.connection.adapters.register_loader("timestamptz", _utc_loader(c_loader))

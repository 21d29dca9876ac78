"""``values()`` querysets compiled once per shape and re-run with new parameters (issue #20 §1–2).

Building and compiling a queue page's queryset (filters, annotations, the tag array, the "seen"
subquery) cost more Python than PostgreSQL spends running it — 4–6 ms a page on the bench VM, for a
query whose SQL is the same on every request but for a few values (the user, a filter, the cursor).
``run()`` builds the queryset once per *shape* with marker values ("slots"), compiles it, remembers the
SQL and where each marker landed in its parameters, and afterwards only swaps in the request's values
and executes — with the same result converters the ORM would apply.

Safe by construction: a slot whose marker does not come out of the compiler exactly once-or-more as the
same value (a lookup that transforms it, such as ``icontains`` wrapping it in ``%…%``), or a marker
left over anywhere, makes that shape fall back to the ordinary ORM path for good. The shape key must
name everything that changes the SQL's structure; the values that only fill parameters go in slots."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

MAX_SHAPES = 256


class Slots:
    """Hands out the value for each named slot: a unique marker while compiling, the real value when
    the shape fell back to the ORM."""

    def __init__(self, values: dict[str, Any], *, markers: bool) -> None:
        self._values = values
        self._markers = markers
        self.used: dict[str, Any] = {}

    def __call__(self, name: str) -> Any:
        real = self._values[name]
        if not self._markers:
            return real
        marker = _marker(real, len(self.used))
        self.used[name] = marker
        return marker


def _marker(like: Any, n: int) -> Any:
    """A value of ``like``'s type that no real request carries (ints stay inside int4: Django 5 turns
    out-of-range integer lookups into empty results)."""
    if isinstance(like, bool):
        raise TypeError("a bool slot would not be unique")
    if isinstance(like, int):
        return 2_087_650_000 + n  # positive: a PositiveIntegerField turns a negative lookup into "none"
    if isinstance(like, dt.datetime):
        return dt.datetime(1901, 2, 3, 4, 5, n % 60, 123_457 + n, tzinfo=like.tzinfo or dt.UTC)
    if isinstance(like, str):
        return f"\x1fslot-{n}\x1f"
    raise TypeError(f"no marker for {type(like).__name__}")


def _kind(value: Any) -> tuple[str, Any] | None:
    """What a parameter is, whatever wrapper the compiler put around it (``Int4(5)`` is the int 5)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, str):
        return ("str", str(value))
    if isinstance(value, dt.datetime):
        return ("datetime", value)
    return None


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, Any], ...]  # (parameter index, slot name, wrapper type or None)
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    empty: bool = False


_FALLBACK = object()
_lock = threading.Lock()
_plans: OrderedDict[Hashable, Any] = OrderedDict()


def run(
    shape: Hashable, build: Callable[[Slots], QuerySet], values: dict[str, Any], using: str = "default"
) -> list[dict[str, Any]]:
    """The rows of ``build(slots)`` (a ``values()`` queryset) as dicts, for the request's ``values``."""
    connection = connections[using]
    key = (using, connection.vendor, connection.settings_dict["NAME"], shape)
    plan = _plan(key, using, _prepare, build, values)
    if plan is _FALLBACK:
        return list(build(Slots(values, markers=False)).using(using))
    if plan.empty:
        return []
    params = list(plan.params)
    for index, name, wrapper in plan.slots:
        params[index] = values[name] if wrapper is None else wrapper(values[name])
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows = cursor.fetchall()
    width = len(plan.names)
    out = []
    for row in rows:
        row = list(row[:width])
        for pos, funcs, expression in plan.converters:
            value = row[pos]
            for func in funcs:
                value = func(value, expression, connection)
            row[pos] = value
        out.append(dict(zip(plan.names, row, strict=True)))
    return out


def _plan(
    key: Hashable, using: str, prepare: Callable[..., Any], build: Callable[[Slots], QuerySet], values: dict
) -> Any:
    """The shape's plan, prepared on first use (the newest ``MAX_SHAPES`` are kept)."""
    plan = _plans.get(key)
    if plan is None:
        plan = prepare(build, values, using)
        with _lock:
            _plans[key] = plan
            while len(_plans) > MAX_SHAPES:
                _plans.popitem(last=False)
    return plan


def _prepare(build: Callable[[Slots], QuerySet], values: dict[str, Any], using: str) -> Any:
    compiled = _compile(build, values, using)
    if compiled is None:
        return _Plan("", (), (), (), (), empty=True)
    if compiled is _FALLBACK:
        return _FALLBACK
    query, compiler, sql, params, positions = compiled
    # The column names exactly as ``ValuesIterable`` takes them (``selected`` drops duplicate fields).
    names = (
        tuple(query.selected)
        if query.selected
        else (*query.extra_select, *query.values_select, *query.annotation_select)
    )
    fields = [s[0] for s in compiler.select[: compiler.col_count]]
    if len(fields) != len(names):
        return _FALLBACK
    converters = tuple(
        (pos, tuple(funcs), expression)
        for pos, (funcs, expression) in compiler.get_converters(fields).items()
    )
    return _Plan(sql, tuple(params), positions, names, converters)


@dataclass(frozen=True)
class _InstancePlan:
    """A model queryset's SQL with its slots, and what the compiler worked out while compiling it that the
    ORM's model iterator reads back (the selected columns and how they map onto the model and its
    ``select_related`` models) — the same for every request of the shape."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, Any], ...]
    state: dict[str, Any]


_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


def instances(
    shape: Hashable, build: Callable[[Slots], QuerySet], values: dict[str, Any], using: str = "default"
) -> list[Any]:
    """The model instances of ``build(slots)`` (``select_related`` ones included, exactly as the ORM
    builds them), compiled once per shape: each request builds the queryset (cheap) and hands the ORM's
    model iterator a compiler that already has its SQL. Shapes that cannot be prepared use the ORM."""
    connection = connections[using]
    key = (using, connection.vendor, connection.settings_dict["NAME"], ("instances", shape))
    plan = _plan(key, using, _prepare_instances, build, values)
    qs = build(Slots(values, markers=False)).using(using)
    if plan is _FALLBACK:
        return list(qs)
    params = list(plan.params)
    for index, name, wrapper in plan.slots:
        params[index] = values[name] if wrapper is None else wrapper(values[name])
    compiler = qs.query.get_compiler(using=using)
    compiler.__dict__.update(plan.state)
    compiler.as_sql = lambda *args, **kwargs: (plan.sql, tuple(params))
    qs.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
    return list(qs)


def _prepare_instances(build: Callable[[Slots], QuerySet], values: dict[str, Any], using: str) -> Any:
    compiled = _compile(build, values, using)
    if compiled is None or compiled is _FALLBACK:
        return _FALLBACK
    _query, compiler, sql, params, positions = compiled
    state = {name: getattr(compiler, name) for name in _STATE}
    return _InstancePlan(sql, tuple(params), positions, state)


def _compile(build: Callable[[Slots], QuerySet], values: dict[str, Any], using: str) -> Any:
    """The shape compiled with marker values: ``(query, compiler, sql, params, slot positions)``; None when
    it can match nothing, ``_FALLBACK`` when a marker did not come out of the compiler as it went in."""
    slots = Slots(values, markers=True)
    query = build(slots).using(using).query
    compiler = query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    positions = _positions(slots, params)
    text = sql if isinstance(sql, str) else ""
    if positions is None or any(isinstance(m, str) and m in text for m in slots.used.values()):
        return _FALLBACK
    sql, params, positions = _inline_constants(sql, params, positions, using)
    return query, compiler, sql, params, positions


_PLACEHOLDER = re.compile(r"%%|%s")


def _inline_constants(
    sql: str, params: Any, positions: tuple[tuple[int, str, Any], ...], using: str
) -> tuple[str, list[Any], tuple[tuple[int, str, Any], ...]]:
    """On PostgreSQL, the shape's constant parameters (the queue's tier, the status list, a team) written
    into the SQL as literals, only the slots left as parameters. A prepared statement is planned for its
    parameters' values each time unless PostgreSQL finds its generic plan as good, which it cannot while
    the status list is a parameter (no partial index applies to ``status IN ($4, …)``): with the
    constants in the text, it keeps the generic plan and skips planning (1–3 ms a page on the bench VM)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not isinstance(sql, str):
        return sql, list(params), positions
    from psycopg import sql as pgsql

    connection.ensure_connection()
    slot_at = {index: (name, wrapper) for index, name, wrapper in positions}
    kept: list[Any] = []
    new_positions: list[tuple[int, str, Any]] = []
    n = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal n
        if match.group(0) == "%%":
            return "%%"
        index, n = n, n + 1
        if index in slot_at:
            new_positions.append((len(kept), *slot_at[index]))
            kept.append(params[index])
            return "%s"
        try:
            literal = pgsql.Literal(params[index]).as_string(connection.connection)
        except Exception:  # noqa: BLE001 — a value psycopg cannot write out stays a parameter
            kept.append(params[index])
            return "%s"
        return literal.replace("%", "%%")

    text = _PLACEHOLDER.sub(replace, sql)
    if n != len(params):  # placeholders and parameters disagree: leave the statement as compiled
        return sql, list(params), positions
    return text, kept, tuple(new_positions)


def _positions(slots: Slots, params: Any) -> tuple[tuple[int, str, Any], ...] | None:
    """Where each slot's marker landed in the parameters; None when one is missing or transformed."""
    positions: list[tuple[int, str, Any]] = []
    by_marker = {_kind(m): name for name, m in slots.used.items()}
    for index, param in enumerate(params):
        name = by_marker.get(_kind(param))
        if name is not None:  # psycopg wrappers such as Int4 are kept around the real value
            positions.append((index, name, None if type(param) in (int, str, dt.datetime) else type(param)))
    if {name for _, name, _ in positions} != set(slots.used):
        return None
    if any(isinstance(p, str) and "\x1fslot-" in p and _kind(p) not in by_marker for p in params):
        return None  # a marker was transformed into another parameter (e.g. "%marker%")
    return tuple(positions)


def forget_all() -> None:
    with _lock:
        _plans.clear()

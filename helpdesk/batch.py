"""Batches for jobs. Keyset batching: walk the ids a filter selects in id order, ``chunk`` at a time,
without OFFSET and without one long transaction, so each row can be handled in its own short, skip-locked
transaction. ``update_rows``: many instances written in one statement."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import F, Model, QuerySet


def keyset_chunks(queryset: QuerySet, chunk: int, fields: tuple[str, ...] = ()) -> Iterator[list]:
    """Yield lists of ids (or of ``(id, *fields)`` tuples when ``fields`` is given) of at most ``chunk`` rows,
    re-querying after the last id seen — rows that stop matching meanwhile are simply not returned."""
    last_id = 0
    while True:
        qs = queryset.filter(id__gt=last_id).order_by("id")
        rows = list(
            qs.values_list("id", *fields)[:chunk] if fields else qs.values_list("id", flat=True)[:chunk]
        )
        if not rows:
            return
        yield rows
        last_id = rows[-1][0] if fields else rows[-1]


def keyset_ids(queryset: QuerySet, chunk: int) -> Iterator[int]:
    for ids in keyset_chunks(queryset, chunk):
        yield from ids


_VARCHAR = re.compile(r"^varchar\(\d+\)$")


def update_rows(objs: Sequence[Model], fields: Sequence[str], bump: str | None) -> dict[Any, int]:
    """Write ``fields`` of every instance in ONE statement, with the integer column ``bump`` incremented in
    SQL (``bump = bump + 1``: a concurrent ``F()`` update is never lost), and return ``{pk: new bump}``
    (``bump=None``: nothing incremented, ``{}`` returned).

    On PostgreSQL: ``UPDATE … SET f = v.f … FROM (VALUES …) AS v WHERE id = v.id RETURNING id, bump`` —
    Django's ``bulk_update`` builds a ``CASE WHEN`` per row and field, which costs more Python than the
    write itself (~3 ms a ticket). Elsewhere ``bulk_update`` plus one read of the new values."""
    if not objs:
        return {}
    model = type(objs[0])
    meta = model._meta
    conn = connections[router.db_for_write(model)]
    columns: list[Any] = [meta.get_field(name) for name in fields]  # concrete fields (Field, not relations)
    pk: Any = meta.pk
    if conn.vendor != "postgresql":
        if bump is None:
            model._default_manager.bulk_update(objs, list(fields))
            return {}
        for obj in objs:
            setattr(obj, bump, F(bump) + 1)
        model._default_manager.bulk_update(objs, [*fields, bump])
        return dict(model._default_manager.filter(pk__in=[o.pk for o in objs]).values_list("pk", bump))
    qn = conn.ops.quote_name
    # varchar without its length: a value too long must fail as in any UPDATE, not be cut by the cast.
    casts = ", ".join(f"%s::{_VARCHAR.sub('varchar', c.db_type(conn))}" for c in [pk, *columns])
    params: list[Any] = []
    for obj in objs:
        params.append(obj.pk)
        params.extend(c.get_db_prep_save(getattr(obj, c.attname), conn) for c in columns)
    table = qn(meta.db_table)
    names = ", ".join(qn(c.column) for c in [pk, *columns])
    sets = ", ".join(f"{qn(c.column)} = v.{qn(c.column)}" for c in columns)
    key = f"{table}.{qn(pk.column)}"
    counter = f"{table}.{qn(bump)}" if bump else ""
    sql = (
        f"UPDATE {table} SET {sets}{f', {qn(bump)} = {counter} + 1' if bump else ''} "
        f"FROM (VALUES {', '.join([f'({casts})'] * len(objs))}) AS v ({names}) "
        f"WHERE {key} = v.{qn(pk.column)}{f' RETURNING {key}, {counter}' if bump else ''}"
    )
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return dict(cur.fetchall()) if bump else {}


def insert_columns(
    model: type[Model], given: dict[str, tuple[str, list[Any]]], conn: Any
) -> tuple[str, str, list[Any]]:
    """The column list and SELECT list of an ``INSERT INTO <model's table> (…) SELECT …`` that sets the
    columns in ``given`` (field name → (SQL expression, its parameters)) and every other concrete column
    to the value Django would give it (its default; ``now`` for ``auto_now``/``auto_now_add``), as
    parameters — so a column another app adds with a model-side default is filled too. Returns
    (columns, selects, params)."""
    from django.utils import timezone

    now = timezone.now()
    columns, selects, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.name not in given:
            continue
        columns.append(conn.ops.quote_name(field.column))
        if field.name in given:
            sql, values = given[field.name]
            selects.append(sql)
            params.extend(values)
            continue
        value = now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) else None
        value = value if value is not None else field.get_default()
        selects.append(f"%s::{_VARCHAR.sub('varchar', str(field.db_type(conn)))}")
        params.append(field.get_db_prep_save(value, conn))
    return ", ".join(columns), ", ".join(selects), params


def insert_unnest(
    model: type[Model], columns: dict[str, Sequence[Any]], *, ignore_conflicts: bool = False
) -> None:
    """Insert one row per position of ``columns`` (field name → its values, all the same length; plain
    values: ids for foreign keys) in ONE statement. On PostgreSQL ``INSERT … SELECT … FROM unnest(one array
    per given column)``, every other column as Django would fill it (``insert_columns``): no model instance
    per row, no per-value ``get_db_prep_save`` (Django's own UNNEST ``bulk_create`` does both, and sends
    every column as an array — most of a sweep's Python time). Elsewhere ``bulk_create``."""
    names = list(columns)
    count = len(columns[names[0]]) if names else 0
    if not count:
        return
    conn = connections[router.db_for_write(model)]
    if conn.vendor != "postgresql":
        attnames = _attnames(model, names)
        rows = [model(**{att: columns[name][i] for att, name in attnames.items()}) for i in range(count)]
        model._default_manager.bulk_create(rows, ignore_conflicts=ignore_conflicts)
        return
    qn = conn.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    aliases = [f"c{i}" for i in range(len(fields))]
    cols, selects, params = insert_columns(
        model, {name: (f"v.{alias}", []) for name, alias in zip(names, aliases, strict=True)}, conn
    )
    arrays = ", ".join(f"%s::{_VARCHAR.sub('varchar', str(f.db_type(conn)))}[]" for f in fields)
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({cols}) SELECT {selects} "
        f"FROM unnest({arrays}) AS v ({', '.join(aliases)})"
        f"{' ON CONFLICT DO NOTHING' if ignore_conflicts else ''}"
    )
    with conn.cursor() as cur:
        cur.execute(sql, [*params, *(list(columns[name]) for name in names)])


def _attnames(model: type[Model], names: list[str]) -> dict[str, str]:
    """Field name → the keyword a model instance takes for a plain value (``ticket`` → ``ticket_id``)."""
    fields: list[Any] = [model._meta.get_field(name) for name in names]  # concrete fields, not relations
    return {field.attname: name for field, name in zip(fields, names, strict=True)}

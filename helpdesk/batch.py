"""Keyset batching for jobs: walk the ids a filter selects in id order, ``chunk`` at a time, without OFFSET
and without one long transaction, so each row can be handled in its own short, skip-locked transaction."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet


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

"""Macro reads: what a person is offered (shared + their own), one macro they may use or edit."""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Macro


def visible_macros(user: Any) -> QuerySet[Macro]:
    """Shared macros and the person's own, active or not (the manage screen)."""
    return Macro.objects.filter(Q(owner__isnull=True) | Q(owner_id=user.pk)).select_related("owner")


def offered_macros(user: Any) -> list[Macro]:
    """Active macros the person may apply, for the reply box picker and the API (one query)."""
    return list(visible_macros(user).filter(is_active=True))


PICKS_GEN = "macros:generation"


def picks_key(user_id: int) -> str:
    return f"macros:picks:{user_id}"


def forget_picks(*args: Any, **kwargs: Any) -> None:
    """Any macro saved or deleted: every person's cached picker list is out of date (receiver)."""
    from django.core.cache import cache

    cache.set(PICKS_GEN, secrets.token_hex(4), None)


def macro_picks(user: Any) -> list[dict[str, Any]]:
    """The reply box's picker (pk, title, owner_id) of :func:`offered_macros`, from the shared cache: one
    round trip with the macros' generation, so a change anyone makes shows at once."""
    from django.core.cache import cache

    found = cache.get_many([PICKS_GEN, picks_key(user.pk)])
    gen, stored = found.get(PICKS_GEN), found.get(picks_key(user.pk))
    if gen is not None and stored is not None and stored[0] == gen:
        return stored[1]
    if gen is None:
        gen = secrets.token_hex(4)
        cache.add(PICKS_GEN, gen, None)
    picks = [{"pk": m.pk, "title": m.title, "owner_id": m.owner_id} for m in offered_macros(user)]
    cache.set(picks_key(user.pk), (gen, picks), 3600)
    return picks


def macro_for(user: Any, pk: int) -> Macro:
    """A macro the person may see (shared or their own), else 404."""
    found = visible_macros(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such macro.")
    return found

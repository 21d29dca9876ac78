"""Macro reads: what a person is offered (shared + their own), one macro they may use or edit."""

from __future__ import annotations

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


def macro_for(user: Any, pk: int) -> Macro:
    """A macro the person may see (shared or their own), else 404."""
    found = visible_macros(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such macro.")
    return found

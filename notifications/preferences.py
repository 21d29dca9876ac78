"""Reading and writing preferences. A person's choices are cached (cleared on save), so applying them to
the bell and the notice list costs no query on most pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

from .models import NotificationPreference
from .reasons import DEFAULT_CHANNEL, NEVER_SILENT, REASONS, Channel, Group, group_of, wants_in_app

CACHE_SECONDS = 300


def count_key(user_id: int) -> str:
    from .selectors import count_key as key

    return key(user_id)


def _key(user_id: int) -> str:
    return f"notifications:prefs:{connection.settings_dict['NAME']}:{user_id}"


def channels_of(user_id: int) -> dict[str, str]:
    """``{group: channel}`` for every group (defaults filled in)."""
    found = cache.get(_key(user_id))
    if found is None:
        found = dict(NotificationPreference.objects.filter(user_id=user_id).values_list("group", "channel"))
        cache.set(_key(user_id), found, CACHE_SECONDS)
    return {group: found.get(group, DEFAULT_CHANNEL) for group in Group.values}


def channels_for(user_ids: Iterable[int], group: str) -> dict[int, str]:
    """One query: each user's channel for ``group``."""
    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, group=group).values_list("user_id", "channel")
    )
    return {pk: chosen.get(pk, DEFAULT_CHANNEL) for pk in ids}


def hidden_reasons(user_id: int) -> list[str]:
    """Reasons this person chose not to see in the app (never on-call pages or SLA red)."""
    hidden: list[str] = []
    for group, channel in channels_of(user_id).items():
        hidden += [r for r in REASONS.get(group, ()) if not wants_in_app(r, channel)]
    return hidden


def silenceable(group: str) -> bool:
    return not any(r in NEVER_SILENT for r in REASONS.get(group, ())) or group == Group.SLA


def save(user: Any, choices: dict[str, str]) -> None:
    """Store the chosen channel per group; "nothing" for on-call is refused (pages always reach you)."""
    with transaction.atomic():
        for group, channel in choices.items():
            if group not in Group.values or channel not in Channel.values:
                continue
            if group == Group.ONCALL and channel == Channel.NONE:
                channel = Channel.IN_APP
            NotificationPreference.objects.update_or_create(
                user=user, group=group, defaults={"channel": channel}
            )
        transaction.on_commit(lambda: cache.delete_many([_key(user.pk), count_key(user.pk)]))
    cache.delete_many([_key(user.pk), count_key(user.pk)])


def in_app_group(reason: str) -> str | None:
    return group_of(reason)

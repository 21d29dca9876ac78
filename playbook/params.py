"""The playbook's tunable numbers, read by the code that enforces each rule.

``get("wip_limit")`` answers the value a manager set on the Playbook screen, else the deployment's
default (the ``HELPDESK_*`` settings). All tuned values are read in one query and kept in the shared
cache for ``CACHE_SECONDS``; a change clears that entry at once (and again after its commit), so the
next timer armed, the next job run and the next page use the new value. Per-organization timer
overrides (admin) still win over these values for that organization's tickets.

This module imports no other app of the project (``tickets`` reads it)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

CACHE_SECONDS = 30
LOCAL_SECONDS = 2  # process memory in front of the shared cache (``overrides``)


class InvalidParameter(ValueError):
    """A value outside what the rule allows; ``field`` names the parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Param:
    key: str
    label: str
    unit: str
    default: Callable[[], Any]
    minimum: int = 0
    maximum: int = 0
    kind: str = "int"  # "int", "list" (a list of short names) or "priorities" (hours per priority)
    help: str = ""
    examples: tuple[str, ...] = field(default_factory=tuple)

    def show(self, value: Any) -> str:
        if self.kind == "list":
            return ", ".join(value) if value else "none"
        if self.kind == "priorities":
            return ", ".join(f"{p} {value[p]} h" for p in PRIORITIES if p in value)
        return f"{value} {self.unit}".strip()


def _timer(name: str, fallback: int) -> Callable[[], int]:
    return lambda: int(getattr(settings, "HELPDESK_TIMERS", {}).get(name, fallback))


def _setting(name: str, fallback: Any) -> Callable[[], Any]:
    return lambda: getattr(settings, name, fallback)


PRIORITIES = ("urgent", "high", "normal", "low")  # tickets.Priority values (this module imports no app)
DEFAULT_REVIEW_TAGS = ("Missed Doc Review", "Process Tweak", "debug-improvements")

PARAMS: dict[str, Param] = {
    p.key: p
    for p in (
        Param(
            "wip_limit",
            "WIP limit",
            "tickets",
            _setting("HELPDESK_WIP_LIMIT", 3),
            1,
            50,
            help="Tickets one person may own before the warning.",
        ),
        Param(
            "pending_reminder_days",
            "Pending: first reminder after",
            "days",
            _timer("pending_reminder_days", 3),
            1,
            60,
        ),
        Param(
            "pending_reminders",
            "Pending: reminders before resolving",
            "reminders",
            _timer("pending_reminders", 2),
            0,
            10,
        ),
        Param(
            "pending_resolve_days",
            "Pending: resolve after the last reminder",
            "days",
            _timer("pending_resolve_days", 3),
            1,
            60,
        ),
        Param(
            "resolved_close_days", "Resolved → Closed after", "days", _timer("resolved_close_days", 4), 1, 90
        ),
        Param(
            "waiting_reopen_days",
            "Waiting on customer → Open after",
            "days",
            _timer("waiting_reopen_days", 10),
            1,
            180,
        ),
        Param(
            "stale_nudge_business_days",
            "Nudge the owner when the requester has not heard from us for",
            "business days",
            lambda: 1,
            1,
            10,
        ),
        Param(
            "holding_reply_business_days",
            "Offer a holding reply (T3) after",
            "business days",
            lambda: 2,
            1,
            20,
        ),
        Param(
            "commitment_reminder_minutes",
            "Remind the owner before a promised update",
            "minutes",
            _setting("SLA_COMMITMENT_REMINDER_MINUTES", 60),
            5,
            24 * 60,
        ),
        Param(
            "tag_suggestion_tickets", "Suggest a known-issue tag at", "look-alike tickets", lambda: 3, 2, 100
        ),
        Param("status_page_tickets", "Suggest a status page post at", "affected tickets", lambda: 6, 2, 1000),
        Param("oncall_ack_minutes", "On-call must acknowledge within", "minutes", lambda: 60, 5, 24 * 60),
        Param("oncall_next_minutes", "Page the next person after", "minutes", lambda: 30, 5, 24 * 60),
        Param(
            "rota_prompt_hour",
            "On someone's last support day, prompt them to hand their tickets back at",
            "o'clock",
            lambda: 16,
            0,
            23,
        ),
        Param(
            "rota_grace_hours",
            "…and hand the unfinished ones back to the tier queue after",
            "hours",
            lambda: 2,
            1,
            24,
        ),
        Param(
            "t4_check_min_tickets",
            "Ask for an extra T4 engineer when, at close of business Tuesday, T4 tickets past green reach",
            "tickets",
            lambda: 1,
            1,
            1000,
        ),
        Param(
            "effort_limit_days",
            "Raise with the Operations Lead when the effort estimate is over",
            "days",
            lambda: 3,
            1,
            60,
            help="Work estimated above this, without prior arrangement, waits for an Operations Lead.",
        ),
        Param(
            "authorisation_link_days",
            "Authorised-contact confirmation link valid for",
            "days",
            _setting("HELPDESK_AUTHORISATION_LINK_DAYS", 14),
            1,
            90,
        ),
        Param(
            "first_response_targets",
            "First response targets",
            "hours per priority",
            lambda: {"urgent": 1, "high": 4, "normal": 8, "low": 24},
            kind="priorities",
        ),
        Param(
            "resolution_targets",
            "Resolution targets",
            "hours per priority",
            lambda: {"urgent": 8, "high": 24, "normal": 72, "low": 168},
            kind="priorities",
        ),
        Param(
            "review_tags",
            "Tags that put a ticket on the weekly review",
            "",
            lambda: list(DEFAULT_REVIEW_TAGS),
            kind="list",
            help="Offered when escalating down; tickets carrying them appear on the weekly review.",
        ),
    )
}


def _cache_key() -> str:

    return "playbook:params"


def overrides() -> dict[str, Any]:
    """The tuned values (key → value), one query at most per ``CACHE_SECONDS``; held in process memory for
    ``LOCAL_SECONDS`` in front of the shared cache (issue #20: a page read them with a cache round trip per
    parameter, 5–10 per page). This process forgets them at once on a change; another sees it within
    ``LOCAL_SECONDS``."""
    from helpdesk import localcache

    # A copy: a caller changing a list value must not change what the next reader gets.
    return copy.deepcopy(localcache.remembered(_cache_key(), LOCAL_SECONDS, _shared_overrides))


def _shared_overrides() -> dict[str, Any]:
    from django.core.cache import cache

    key = _cache_key()
    found = cache.get(key)
    if found is None:
        from .models import PlaybookSetting

        found = {k: v for k, v in PlaybookSetting.objects.values_list("key", "value") if k in PARAMS}
        cache.set(key, found, CACHE_SECONDS)
    return found


def forget() -> None:
    """Drop the cached values now and once the change is committed (a reader in between re-caches)."""
    from django.core.cache import cache
    from django.db import transaction

    from helpdesk import localcache

    key = _cache_key()

    def drop() -> None:
        cache.delete(key)
        localcache.forget(key)

    drop()
    transaction.on_commit(drop)


def default(key: str) -> Any:
    return PARAMS[key].default()


def get(key: str) -> Any:
    """The value in force for ``key`` (KeyError for an unknown parameter: a typo must not pass silently)."""
    param = PARAMS[key]
    tuned = overrides()
    return tuned[key] if key in tuned else param.default()


def current() -> dict[str, Any]:
    """Every parameter's value in force, in catalogue order."""
    tuned = overrides()
    return {key: tuned.get(key, p.default()) for key, p in PARAMS.items()}


def validate(key: str, raw: Any) -> Any:
    """The clean value of ``raw`` for ``key``, or InvalidParameter naming the field."""
    param = PARAMS.get(key)
    if param is None:
        raise InvalidParameter(key, f"“{key}” is not a playbook parameter.")
    if param.kind == "list":
        return _clean_list(param, raw)
    if param.kind == "priorities":
        return _clean_priorities(param, raw)
    if isinstance(raw, bool) or isinstance(raw, float) and not raw.is_integer():
        raise InvalidParameter(key, f"{param.label} ({param.key}): a whole number is needed, got {raw!r}.")
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int | float) else int(raw)
    except (TypeError, ValueError):
        raise InvalidParameter(
            key, f"{param.label} ({param.key}): a whole number is needed, got {raw!r}."
        ) from None
    if not param.minimum <= value <= param.maximum:
        raise InvalidParameter(
            key,
            f"{param.label} ({param.key}): must be between {param.minimum} and {param.maximum} "
            f"{param.unit}, got {value}.",
        )
    return value


def _clean_list(param: Param, raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = raw.replace("\n", ",").split(",")
    if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
        raise InvalidParameter(
            param.key, f"{param.label} ({param.key}): a list of names is needed, got {raw!r}."
        )
    cleaned: list[str] = []
    for item in (i.strip() for i in raw):
        if len(item) > 50:
            raise InvalidParameter(
                param.key, f"{param.label} ({param.key}): “{item[:50]}…” is longer than 50 characters."
            )
        if item and item not in cleaned:
            cleaned.append(item)
    if not cleaned:
        raise InvalidParameter(param.key, f"{param.label} ({param.key}): keep at least one tag.")
    return cleaned


def _clean_priorities(param: Param, raw: Any) -> dict[str, int]:
    """``{"urgent": 1, …}``, or the screen's text ``urgent 1, high 4, normal 8, low 24``."""
    if isinstance(raw, str):
        pairs = [part.split() for part in raw.replace("\n", ",").split(",") if part.strip()]
        if not all(len(p) == 2 for p in pairs):
            raise InvalidParameter(
                param.key, f"{param.label} ({param.key}): write it as “urgent 1, high 4, …”."
            )
        raw = {k.strip().lower(): v.removesuffix("h") for k, v in pairs}
    if not isinstance(raw, dict):
        raise InvalidParameter(param.key, f"{param.label} ({param.key}): hours per priority are needed.")
    unknown = sorted(set(map(str, raw)) - set(PRIORITIES))
    if unknown:
        raise InvalidParameter(param.key, f"{param.label} ({param.key}): unknown priority “{unknown[0]}”.")
    missing = [p for p in PRIORITIES if p not in raw]
    if missing:
        raise InvalidParameter(
            param.key, f"{param.label} ({param.key}): the {missing[0]} priority is missing."
        )
    cleaned = {}
    for p in PRIORITIES:
        value = raw[p]
        try:
            hours = int(value) if not isinstance(value, bool) and float(value) == int(float(value)) else None
        except (TypeError, ValueError):
            hours = None
        if hours is None or not 1 <= hours <= 24 * 90:
            raise InvalidParameter(
                param.key, f"{param.label} ({param.key}): {p} must be a whole number of hours from 1 to 2160."
            )
        cleaned[p] = hours
    return cleaned


def validate_together(values: dict[str, Any]) -> None:
    """Rules between parameters (``values`` holds every parameter's value in force after the change)."""
    first, done = values["first_response_targets"], values["resolution_targets"]
    for p in PRIORITIES:
        if done[p] < first[p]:
            raise InvalidParameter(
                "resolution_targets",
                f"Resolution targets (resolution_targets): {p} cannot be sooner than its first response "
                f"({first[p]} h).",
            )
    if values["status_page_tickets"] < values["tag_suggestion_tickets"]:
        raise InvalidParameter(
            "status_page_tickets",
            "Suggest a status page post at (status_page_tickets): cannot be fewer tickets than the "
            f"known-issue tag suggestion ({values['tag_suggestion_tickets']}).",
        )

"""The whole playbook as one YAML file — its parameters and the SLA table — so a team can keep it in
version control. Importing parses and validates everything first and shows the differences; applying
writes all of it in one transaction or nothing. Export → import of an unchanged playbook is no change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from sla import services as sla_services
from sla.models import SlaPolicy
from tickets.models import Priority, Tier

from . import params, services
from .models import PlaybookChange
from .params import InvalidParameter

VERSION = 1
HOUR = 3600
TOP_KEYS = {"version", "parameters", "sla_policies"}
POLICY_KEYS = {"tier", "priority", "green_hours", "yellow_hours"}
MAX_BYTES = 200_000


@dataclass(frozen=True)
class Difference:
    what: str
    old: str
    new: str


@dataclass
class Plan:
    parameters: dict[str, Any]
    policies: dict[tuple[str, str], tuple[int, int]]  # (tier, priority) → (green s, yellow s)
    differences: list[Difference]


def export_yaml() -> str:
    data = {
        "version": VERSION,
        "parameters": params.current(),
        "sla_policies": [
            {
                "tier": p.tier,
                "priority": p.priority or "any",
                "green_hours": _hours(p.green_seconds),
                "yellow_hours": _hours(p.yellow_seconds),
            }
            for p in SlaPolicy.objects.order_by("tier", "priority")
        ],
    }
    header = "# Helpdesk playbook: parameters and the SLA table (business hours). Import it on /playbook/.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _hours(seconds: int) -> int | float:
    hours = seconds / HOUR
    return int(hours) if hours.is_integer() else hours


def plan_import(text: str) -> Plan:
    """Parse and validate ``text``; InvalidParameter (naming the field) on the first problem."""
    if len(text.encode()) > MAX_BYTES:
        raise InvalidParameter("file", f"The file is larger than {MAX_BYTES // 1000} kB.")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidParameter("file", f"This is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise InvalidParameter("file", "The file must be a mapping with “parameters” and “sla_policies”.")
    unknown = sorted(str(k) for k in set(data) - TOP_KEYS)
    if unknown:
        raise InvalidParameter(
            unknown[0], f"Unknown section “{unknown[0]}” (known: parameters, sla_policies)."
        )
    if data.get("version", VERSION) != VERSION:
        raise InvalidParameter("version", f"Only version {VERSION} files can be imported.")
    raw = data.get("parameters") or {}
    if not isinstance(raw, dict):
        raise InvalidParameter("parameters", "“parameters” must be a mapping of name: value.")
    cleaned = services.clean_changes({str(k): v for k, v in raw.items()})
    policies = _policies(data.get("sla_policies") or [])
    return Plan(cleaned, policies, _differences(cleaned, policies))


def _policies(rows: Any) -> dict[tuple[str, str], tuple[int, int]]:
    if not isinstance(rows, list):
        raise InvalidParameter("sla_policies", "“sla_policies” must be a list.")
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for n, row in enumerate(rows, start=1):
        where = f"sla_policies[{n}]"
        if not isinstance(row, dict):
            raise InvalidParameter(where, f"{where}: each policy is a mapping with tier, priority and hours.")
        extra = sorted(str(k) for k in set(row) - POLICY_KEYS)
        if extra:
            raise InvalidParameter(f"{where}.{extra[0]}", f"{where}: unknown field “{extra[0]}”.")
        tier, priority = str(row.get("tier", "")), str(row.get("priority", "any"))
        if tier not in Tier.values:
            raise InvalidParameter(f"{where}.tier", f"{where}.tier: unknown tier “{tier}”.")
        if priority != "any" and priority not in Priority.values:
            raise InvalidParameter(f"{where}.priority", f"{where}.priority: unknown priority “{priority}”.")
        green = _seconds(row.get("green_hours"), f"{where}.green_hours")
        yellow = _seconds(row.get("yellow_hours"), f"{where}.yellow_hours")
        if yellow < green:
            raise InvalidParameter(
                f"{where}.yellow_hours", f"{where}.yellow_hours: yellow cannot be shorter than green."
            )
        key = (tier, "" if priority == "any" else priority)
        if key in found:
            raise InvalidParameter(where, f"{where}: {tier} {priority} appears twice.")
        found[key] = (green, yellow)
    return found


def _seconds(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidParameter(where, f"{where}: a number of business hours is needed, got {value!r}.")
    if not 0 < value <= 24 * 365:
        raise InvalidParameter(where, f"{where}: must be more than 0 and at most a year of hours.")
    return round(value * HOUR)


def _differences(
    cleaned: dict[str, Any], policies: dict[tuple[str, str], tuple[int, int]]
) -> list[Difference]:
    now = params.current()
    diffs = [
        Difference(params.PARAMS[k].label, params.PARAMS[k].show(now[k]), params.PARAMS[k].show(v))
        for k, v in cleaned.items()
        if now[k] != v
    ]
    existing = {(p.tier, p.priority): p for p in SlaPolicy.objects.all()}
    for (tier, priority), (green, yellow) in policies.items():
        policy = existing.get((tier, priority))
        what = f"SLA {Tier(tier).label} {Priority(priority).label if priority else 'any priority'}"
        new = f"green {_hours(green)} h, yellow {_hours(yellow)} h"
        if policy is None:
            diffs.append(Difference(what, "no policy", new))
        elif (policy.green_seconds, policy.yellow_seconds) != (green, yellow):
            old = f"green {_hours(policy.green_seconds)} h, yellow {_hours(policy.yellow_seconds)} h"
            diffs.append(Difference(what, old, new))
    return diffs


def apply_import(text: str, by: Any) -> Plan:
    """Validate again (the playbook may have changed since the preview) and apply all of it."""
    plan = plan_import(text)
    actor = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        services.set_params(plan.parameters, by, source=PlaybookChange.Source.IMPORT)
        existing = {(p.tier, p.priority): p for p in SlaPolicy.objects.select_for_update()}
        for (tier, priority), (green, yellow) in plan.policies.items():
            policy = existing.get((tier, priority)) or SlaPolicy(tier=tier, priority=priority)
            old = None if policy.pk is None else _limits(policy.green_seconds, policy.yellow_seconds)
            if old == _limits(green, yellow):
                continue
            policy.green_seconds, policy.yellow_seconds = green, yellow
            sla_services.save_policy(policy)
            PlaybookChange.objects.create(
                key=f"sla:{tier}:{priority or 'any'}",
                old_value=old,
                new_value=_limits(green, yellow),
                changed_by=actor,
                changed_at=timezone.now(),
                source=PlaybookChange.Source.IMPORT,
            )
    return plan


def _limits(green: int, yellow: int) -> dict[str, int | float]:
    return {"green_hours": _hours(green), "yellow_hours": _hours(yellow)}

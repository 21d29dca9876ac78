from __future__ import annotations

from typing import Any

from django import template

from playbook import params

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str) -> Any:
    return mapping.get(key)


@register.filter
def hours(seconds: int) -> str:
    value = seconds / 3600
    return f"{value:g}"


@register.filter
def param_label(key: str) -> str:
    p = params.PARAMS.get(key)
    if p is not None:
        return p.label
    if key.startswith("sla:"):
        _sla, tier, priority = (key.split(":") + ["", ""])[:3]
        return f"SLA {tier.upper()} {priority if priority != 'any' else 'any priority'}"
    return key


@register.filter
def param_value(value: Any, key: str) -> str:
    if value is None:
        return "—"
    p = params.PARAMS.get(key)
    if p is not None:
        return p.show(value)
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_hours', '')} {v} h" for k, v in value.items())
    return str(value)

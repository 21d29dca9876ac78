"""Small display helpers for the agent screens."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def verb_label(verb: str) -> str:
    """``status_changed`` → ``status changed``."""
    return (verb or "").replace("_", " ")

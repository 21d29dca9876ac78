"""``{% escalation_context as esc %}``: the panel data, computed once per ticket per render."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def escalation_context(context: template.Context, ticket: Any = None) -> dict[str, Any]:
    existing = context.get("esc")
    if existing:
        return existing
    ticket = ticket or context.get("ticket")
    cached = getattr(ticket, "_escalation_panels", None)
    if cached is not None:
        return cached
    from escalation import panels

    # Inside the core workspace the forms come back to the workspace (even when the sidebar was
    # re-rendered by an HTMX action whose URL is not the page's).
    data = panels.context(ticket, context.get("user"), next_url=ticket.get_absolute_url())
    ticket._escalation_panels = data
    return data

"""Canned responses: placeholder substitution. Placeholders are a fixed whitelist, never template code,
so a canned response written by staff cannot reach anything but these values.

Both spellings work: ``{{ requester.first_name }}`` and ``{{requester_first_name}}``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from helpdesk.people import display_name

from .models import Ticket

PLACEHOLDER = re.compile(r"\{\{\s*([a-zA-Z_][\w.]*)\s*\}\}")


def _first(name: str) -> str:
    return (name or "").strip().split(" ")[0]


VALUES: dict[str, Callable[[Ticket, Any], str]] = {
    "requester.first_name": lambda t, a: _first(t.requester.name),
    "requester.name": lambda t, a: t.requester.name,
    "requester.email": lambda t, a: t.requester.email,
    "organization.name": lambda t, a: t.organization.name if t.organization_id else "",
    "ticket.number": lambda t, a: str(t.number),
    "ticket.subject": lambda t, a: t.subject,
    "agent.first_name": lambda t, a: a.first_name or a.get_username(),
    "agent.name": lambda t, a: display_name(a),
}
ALIASES = {
    "requester_first_name": "requester.first_name",
    "requester_name": "requester.name",
    "organization_name": "organization.name",
    "ticket_number": "ticket.number",
    "ticket_subject": "ticket.subject",
    "agent_first_name": "agent.first_name",
    "agent_name": "agent.name",
}


def render(body: str, ticket: Ticket, agent: Any) -> str:
    """Fill the placeholders of ``body`` for ``ticket`` answered by ``agent``; unknown ones stay as typed."""

    def sub(match: re.Match[str]) -> str:
        key = ALIASES.get(match.group(1), match.group(1))
        fill = VALUES.get(key)
        return fill(ticket, agent) if fill else match.group(0)

    return PLACEHOLDER.sub(sub, body)


def placeholder_names() -> list[str]:
    return sorted(VALUES)

"""What the macros app adds next to the workspace's reply box (listed in helpdesk/workspace.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tickets.models import Ticket

from . import selectors


def reply_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    return {"macros": selectors.macro_picks(request.user)}

"""Escalation errors: all are ``TicketError`` so screens and the API show them like the core's."""

from __future__ import annotations

from typing import Any

from tickets.errors import InvalidInput, TicketError


class KnownIssueMatch(TicketError):
    """The ticket matches an open known issue: tag/link it instead of escalating (004)."""

    def __init__(self, issues: list[Any]) -> None:
        names = ", ".join(f"KI-{ki.number} {ki.title}" for ki in issues)
        super().__init__(
            f"This ticket matches an open known issue ({names}). Link it to the known issue "
            "instead of escalating, or confirm that this is a different problem.",
            field="known_issue",
        )
        self.issues = issues


__all__ = ["InvalidInput", "KnownIssueMatch", "TicketError"]

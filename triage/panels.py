"""What the workspace's effort panel needs (listed with the panels in ``helpdesk/workspace.py``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from helpdesk.permissions import TRIAGE_LEAD, has_role
from playbook import params

from . import selectors
from .forms import EffortDecisionForm, EffortForm


def workspace_context(request: HttpRequest, ticket: Any) -> dict[str, Any]:
    return {"effort": context(ticket, request.user)}


def context(ticket: Any, user: Any, **bound: Any) -> dict[str, Any]:
    """The estimate form and, while the ticket awaits the Operations Lead, the decision (bound forms win)."""
    review = selectors.effort_review_for(ticket)
    return {
        "review": review,
        "limit": params.get("effort_limit_days"),
        "form": bound.get("form") or EffortForm(initial={"version": ticket.version}),
        "decide_form": bound.get("decide_form") or EffortDecisionForm(),
        "can_decide": bool(review and review.awaiting and has_role(user, TRIAGE_LEAD)),
        "open": bool(bound) or bool(review and review.awaiting),
    }

"""What the escalation panels of the ticket workspace need, built by the views: the core workspace gets it
from :func:`workspace_context` (listed with the panels in ``helpdesk/workspace.py``), the standalone
ticket page and the panels' own actions from :func:`context`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from tickets.models import TIER_ORDER, Tier

from . import selectors
from .forms import (
    DOWN_TIERS,
    EngagementForm,
    EscalateDownForm,
    EscalateUpForm,
    LinkKnownIssueForm,
    MarketingForm,
    ProductForm,
)
from .models import KnownIssueLink
from .services.escalate import TRANSITION_TEXT


def next_up_tier(tier: str) -> str:
    if tier in (Tier.TRIAGE,):
        return Tier.T1
    if tier in (Tier.T5, Tier.ONCALL):
        return Tier.ONCALL
    return TIER_ORDER[TIER_ORDER.index(tier) + 1]


def workspace_context(request: HttpRequest, ticket: Any) -> dict[str, Any]:
    """``esc`` for the panels inside the core workspace: their forms post with HTMX and come back there."""
    return {"esc": context(ticket, request.user, next_url=ticket.get_absolute_url(), in_workspace=True)}


def context(
    ticket: Any, user: Any, *, next_url: str = "", in_workspace: bool = False, **bound: Any
) -> dict[str, Any]:
    """Forms (bound ones passed in by name win), time box, known-issue matches, on-call page."""
    version = ticket.version
    base = {"version": version, "next": next_url}
    due = selectors.transition_comment_due(ticket)
    up_tier = (
        Tier.ONCALL if ticket.tier == Tier.TRIAGE else next_up_tier(ticket.tier)
    )  # untriaged: emergencies only
    up_initial = {
        **base,
        "to_tier": up_tier,
        "transition_comment": TRANSITION_TEXT.format(name=ticket.requester.name, tier=Tier(up_tier).label)
        if due
        else "",
    }
    lower = [t for t, _ in DOWN_TIERS if selectors.tier_rank(t) < selectors.tier_rank(ticket.tier)]
    # One read each of the ticket's known-issue links and of the open known issues, shared by the panels.
    links = list(KnownIssueLink.objects.filter(ticket=ticket).select_related("known_issue"))
    open_issues = list(selectors.open_known_issues()[:200])
    box = selectors.time_box(ticket.tier)
    started = selectors.time_box_start(ticket, user) if box else None
    elapsed = int((timezone.now() - started).total_seconds() // 60) if started else None
    return {
        "ticket": ticket,
        "next_url": next_url,
        "in_workspace": in_workspace,
        "time_box": box,
        "time_box_started": started,
        "time_box_elapsed": elapsed,
        "time_box_over": bool(box and elapsed is not None and elapsed >= box.total_minutes),
        "transition_due": due,
        "matches": selectors.matching_known_issues(
            ticket, open_issues=open_issues, linked={li.known_issue_id for li in links}
        ),
        "open_known_issues": open_issues[:50],
        "link": links[0] if links else None,
        "oncall_page": selectors.open_page_for(ticket) if ticket.tier == Tier.ONCALL else None,
        "can_escalate_up": ticket.tier != Tier.ONCALL,
        "can_escalate_down": bool(lower),
        "up_form": bound.get("up_form") or EscalateUpForm(initial=up_initial),
        "down_form": bound.get("down_form")
        or EscalateDownForm(initial={**base, "to_tier": lower[-1] if lower else ""}),
        "link_form": bound.get("link_form") or LinkKnownIssueForm(initial=base),
        "engagement_form": bound.get("engagement_form") or EngagementForm(initial=base),
        "product_form": bound.get("product_form") or ProductForm(initial={**base, "note": "**Product** "}),
        "marketing_form": bound.get("marketing_form") or MarketingForm(initial=base),
        "page_url": reverse("escalation:ticket", args=[ticket.number]),
    }

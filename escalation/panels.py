"""What the escalation panels of the ticket workspace need, built by the views: the core workspace gets it
from :func:`workspace_context` (listed with the panels in ``helpdesk/workspace.py``), the standalone
ticket page and the panels' own actions from :func:`context`."""

from __future__ import annotations

from functools import cached_property
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
from .oncall_gate import confirmer_choices
from .services.escalate import TRANSITION_TEXT


def next_up_tier(tier: str) -> str:
    if tier in (Tier.TRIAGE,):
        return Tier.T1
    if tier in (Tier.T5, Tier.ONCALL):
        return Tier.ONCALL
    return TIER_ORDER[TIER_ORDER.index(tier) + 1]


def escalate_up_rules(ticket: Any, now: Any) -> tuple[bool, Any, Any]:
    """What of the time the "Escalate up" panel shows (its key in ``helpdesk/workspace.py``): whether a
    transition comment is due now, today's date, and the people it offers as confirmers (today's T2 rota
    and the leads, memoised for seconds: a panel rendered from the old list is not kept once it changed)."""
    return selectors.transition_comment_due(ticket, now), timezone.localdate(now), confirmer_choices()


def time_box_rules(ticket: Any, now: Any) -> int | None:
    """What of the time the time box panel shows (its key, with the tier, the owner and when the ticket
    entered the tier): the minute on a tier with a time box (its elapsed minutes, "over the box"), nothing
    on the others. A reply or a status change keeps it; reassigning it away and back within the same minute
    would keep the start the page's timer counts from, off by those seconds."""
    return int(now.timestamp() // 60) if selectors.time_box(ticket.tier) else None


def oncall_rules(ticket: Any, now: Any) -> int | None:
    """The on-call panel shows something only on an on-call ticket: its open page's age (to the minute)
    and step — the page is one of the ticket's own rows, so a new step or an acknowledgement retires the
    ticket's generation. Keyed on the minute there; on every other tier it is empty and kept."""
    return int(now.timestamp() // 60) if ticket.tier == Tier.ONCALL else None


def workspace_context(request: HttpRequest, ticket: Any) -> dict[str, Any]:
    """``esc`` for the panels inside the core workspace: their forms post with HTMX and come back there."""
    return {"esc": context(ticket, request.user, next_url=ticket.get_absolute_url(), in_workspace=True)}


class Lazy(dict):
    """``esc``: a dict whose costly entries are built on their first lookup (a template's ``esc.x``), so a
    workspace whose escalation panels mostly come from the fragment cache builds only what the rendered
    ones show. ``lazy``: name → how to build it."""

    def __init__(self, ready: dict[str, Any], lazy: dict[str, Any]) -> None:
        super().__init__(ready)
        self._lazy = lazy

    def __missing__(self, key: str) -> Any:
        build = self._lazy.pop(key, None)
        if build is None:
            raise KeyError(key)
        value = self[key] = build()
        return value


def context(
    ticket: Any, user: Any, *, next_url: str = "", in_workspace: bool = False, **bound: Any
) -> dict[str, Any]:
    """Forms (bound ones passed in by name win), time box, known-issue matches, on-call page; each built
    when a panel first shows it."""
    base = {"version": ticket.version, "next": next_url}
    lower = [t for t, _ in DOWN_TIERS if selectors.tier_rank(t) < selectors.tier_rank(ticket.tier)]
    box = selectors.time_box(ticket.tier)
    parts = _Parts(ticket, user)
    ready = {
        "ticket": ticket,
        "next_url": next_url,
        "in_workspace": in_workspace,
        "time_box": box,
        "can_escalate_up": ticket.tier != Tier.ONCALL,
        "can_escalate_down": bool(lower),
        "page_url": reverse("escalation:ticket", args=[ticket.number]),
        **{name: form for name, form in bound.items() if name.endswith("_form")},
    }
    lazy = {
        "time_box_started": lambda: parts.started,
        "time_box_elapsed": parts.elapsed,
        "time_box_over": lambda: bool(
            box and parts.elapsed() is not None and parts.elapsed() >= box.total_minutes
        ),
        "transition_due": lambda: parts.due,
        "matches": parts.matches,
        "open_known_issues": lambda: parts.open_issues[:50],
        "link": lambda: parts.links[0] if parts.links else None,
        "oncall_page": lambda: selectors.open_page_for(ticket) if ticket.tier == Tier.ONCALL else None,
        "up_form": lambda: EscalateUpForm(initial=parts.up_initial(base)),
        "down_form": lambda: EscalateDownForm(initial={**base, "to_tier": lower[-1] if lower else ""}),
        "link_form": lambda: LinkKnownIssueForm(initial=base),
        "engagement_form": lambda: EngagementForm(initial=base),
        "product_form": lambda: ProductForm(initial={**base, "note": "**Product** "}),
        "marketing_form": lambda: MarketingForm(initial=base),
    }
    return Lazy(ready, {name: build for name, build in lazy.items() if name not in ready})


class _Parts:
    """What several ``esc`` entries share, each read once: the ticket's known-issue links, the open known
    issues, the time box's start."""

    def __init__(self, ticket: Any, user: Any) -> None:
        self.ticket, self.user = ticket, user

    @cached_property
    def links(self) -> list[KnownIssueLink]:
        return list(KnownIssueLink.objects.filter(ticket=self.ticket).select_related("known_issue"))

    @cached_property
    def open_issues(self) -> list[Any]:
        return list(selectors.open_known_issues()[:200])

    @cached_property
    def started(self) -> Any:
        box = selectors.time_box(self.ticket.tier)
        return selectors.time_box_start(self.ticket, self.user) if box else None

    def elapsed(self) -> int | None:
        started = self.started
        return int((timezone.now() - started).total_seconds() // 60) if started else None

    @cached_property
    def due(self) -> bool:
        return selectors.transition_comment_due(self.ticket)

    def matches(self) -> list[Any]:
        linked = {li.known_issue_id for li in self.links}
        return selectors.matching_known_issues(self.ticket, open_issues=self.open_issues, linked=linked)

    def up_initial(self, base: dict[str, Any]) -> dict[str, Any]:
        ticket = self.ticket
        up_tier = (
            Tier.ONCALL if ticket.tier == Tier.TRIAGE else next_up_tier(ticket.tier)
        )  # untriaged: emergencies
        comment = ""
        if self.due:
            comment = TRANSITION_TEXT.format(name=ticket.requester.name, tier=Tier(up_tier).label)
        return {**base, "to_tier": up_tier, "transition_comment": comment}

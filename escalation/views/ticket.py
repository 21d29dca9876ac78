"""Ticket actions: escalate up/down, known-issue link, routing, on-call acknowledgement. Each POST
parses a form and calls one service; it answers like the core workspace's own side panel, with
:func:`tickets.views.workspace.respond`: HTMX gets the changed regions, a plain POST a redirect (to ``next``
when it is a safe local URL, else the standalone escalation page). Invalid input re-renders inside the
workspace, the bound form with its errors in its panel (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from escalation import panels
from escalation.errors import KnownIssueMatch
from escalation.forms import (
    EngagementForm,
    EscalateDownForm,
    EscalateUpForm,
    LinkKnownIssueForm,
    MarketingForm,
    ProductForm,
)
from escalation.services import escalate, known_issues, oncall, routing
from helpdesk.permissions import staff_required
from tickets import selectors as ticket_selectors
from tickets.errors import TicketError
from tickets.models import Ticket
from tickets.views import workspace


@staff_required
def ticket_page(request: HttpRequest, number: int) -> HttpResponse:
    """The escalation panels on a page of their own (plain forms, no workspace around them)."""
    ticket = ticket_selectors.ticket_for(request.user, number)
    esc = panels.context(ticket, request.user)
    conversation = ticket_selectors.conversation(ticket, request.user)
    return render(
        request, "escalation/ticket.html", {"esc": esc, "ticket": ticket, "conversation": conversation}
    )


def _done(request: HttpRequest, number: int, text: str) -> HttpResponse:
    if request.htmx:
        ticket = ticket_selectors.ticket_for(request.user, number)
        return workspace.respond(request, ticket, workspace.ALL_REGIONS, flash=text)
    messages.success(request, text)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("escalation:ticket", number=number)


def _handle(
    request: HttpRequest, number: int, form_cls: type, name: str, act: Callable[[Any, Any], str]
) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    form = form_cls(request.POST)
    if form.is_valid():
        try:
            text = act(ticket, form.cleaned_data | {"_form": form})
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return _done(request, number, text)
    return _invalid(request, ticket, **{name: form})


def _invalid(
    request: HttpRequest, ticket: Ticket, flash: str = "Please correct the errors.", **bound: Any
) -> HttpResponse:
    """The workspace again, with the bound form (its typed text and errors) in its panel."""
    esc = panels.context(ticket, request.user, next_url=ticket.get_absolute_url(), in_workspace=True, **bound)
    return workspace.respond(
        request, ticket, ("sidebar",), status=400, flash=flash, flash_level="error", esc=esc
    )


@staff_required
@require_POST
def escalate_up(request: HttpRequest, number: int) -> HttpResponse:
    def act(ticket: Any, d: dict) -> str:
        try:
            result = escalate.escalate_up(
                ticket,
                request.user,
                to_tier=d["to_tier"],
                questions=d["_form"].questions(),
                findings=d["findings"],
                transition_comment=d["transition_comment"] or None,
                skip_transition_comment=d["skip_transition_comment"],
                not_a_known_issue=d["not_a_known_issue"],
                confirmed_by=d["confirmed_by"],
                expected_version=d["version"],
            )
        except KnownIssueMatch as exc:
            raise TicketError(str(exc), field="not_a_known_issue") from exc
        who = result.assignee.get_username() if result.assignee else "the tier queue"
        return f"Escalated to {result.ticket.get_tier_display()} ({who})."

    return _handle(request, number, EscalateUpForm, "up_form", act)


@staff_required
@require_POST
def escalate_down(request: HttpRequest, number: int) -> HttpResponse:
    def act(ticket: Any, d: dict) -> str:
        t = escalate.escalate_down(
            ticket,
            request.user,
            to_tier=d["to_tier"],
            note=d["note"],
            known_issue=d["known_issue"],
            doc_url=d["doc_url"],
            missed_doc_review=d["missed_doc_review"],
            process_tweak=d["process_tweak"],
            other_tags=d["other_tags"],
            expected_version=d["version"],
        )
        return f"Sent back to {t.get_tier_display()}."

    return _handle(request, number, EscalateDownForm, "down_form", act)


@staff_required
@require_POST
def link_known_issue(request: HttpRequest, number: int) -> HttpResponse:
    def act(ticket: Any, d: dict) -> str:
        link = known_issues.link_ticket(ticket, d["known_issue"], request.user)
        return f"Linked to KI-{link.known_issue.number} and tagged {link.known_issue.tag_name}."

    return _handle(request, number, LinkKnownIssueForm, "link_form", act)


@staff_required
@require_POST
def unlink_known_issue(request: HttpRequest, number: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    known_issues.unlink_ticket(ticket, request.user)
    return _done(request, number, "Known issue unlinked.")


@staff_required
@require_POST
def to_engagement(request: HttpRequest, number: int) -> HttpResponse:
    def act(ticket: Any, d: dict) -> str:
        routing.send_to_engagement(
            ticket,
            request.user,
            note=d["note"],
            follow=d["follow"],
            member=d["member"],
            reason=d["reason"],
            expected_version=d["version"],
        )
        return "Sent to Engagement."

    return _handle(request, number, EngagementForm, "engagement_form", act)


@staff_required
@require_POST
def to_product(request: HttpRequest, number: int) -> HttpResponse:
    def act(ticket: Any, d: dict) -> str:
        routing.notify_product(ticket, request.user, note=d["note"], expected_version=d["version"])
        return "Product notified."

    return _handle(request, number, ProductForm, "product_form", act)


@staff_required
@require_POST
def to_marketing(request: HttpRequest, number: int) -> HttpResponse:
    def act(ticket: Any, d: dict) -> str:
        routing.send_to_marketing(
            ticket, request.user, note=d["note"], done=d["done"], expected_version=d["version"]
        )
        return "Assigned to Marketing." if d["done"] else "Marketing lead added as a follower."

    return _handle(request, number, MarketingForm, "marketing_form", act)


@staff_required
@require_POST
def acknowledge(request: HttpRequest, number: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    try:
        oncall.acknowledge_page(ticket, request.user)
    except TicketError as exc:
        if request.htmx:
            return _invalid(request, ticket, flash=str(exc))
        messages.error(request, str(exc))
        return redirect("escalation:ticket", number=number)
    return _done(request, number, "Acknowledged: the on-call chain stopped.")

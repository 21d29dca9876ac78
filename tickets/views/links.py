"""Linked tickets in the workspace (issue #16 §5): add / remove a link, resolve a parent with its children.
Answers like every workspace action (:func:`tickets.views.workspace.respond`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import staff_required
from tickets import related, selectors
from tickets.errors import TicketError
from tickets.forms import LinkForm, ResolveChildrenForm
from tickets.models import UNFINISHED_STATUSES, Ticket
from tickets.services import links as link_services

from . import workspace


def panel_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    """The "Linked tickets" panel (listed in helpdesk/workspace.py)."""
    rows = related.links_of(ticket)
    children = [r.other for r in rows if r.relation == "child" and r.other.status in UNFINISHED_STATUSES]
    return {
        "ticket_links": rows,
        "open_children": children,
        "link_form": LinkForm(),
        "resolve_children_form": ResolveChildrenForm(initial={"version": ticket.version}),
    }


def shows_no_ticket(data: Mapping[str, Any]) -> bool:
    """``Panel.alone`` of the panel: without links it shows no other ticket."""
    return not data["ticket_links"]


@staff_required
@require_POST
def link_add(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_for(request.user, number)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return workspace.refused(request, number, TicketError("Please correct the errors."), link_form=form)
    data = form.cleaned_data
    other = selectors.ticket_list().filter(number=data["number"]).first()
    try:
        if other is None:
            raise TicketError(f"There is no ticket #{data['number']}.", field="number")
        link_services.link_tickets(ticket, request.user, other, data["relation"])
    except TicketError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return workspace.refused(request, number, exc, link_form=form)
    fresh = selectors.ticket_for(request.user, number)
    return workspace.respond(request, fresh, ("sidebar", "history"), flash=f"Linked to #{other.number}.")


@staff_required
@require_POST
def link_remove(request: HtmxHttpRequest, number: int, link_id: int) -> HttpResponse:
    ticket = selectors.ticket_for(request.user, number)
    try:
        link_services.unlink_tickets(ticket, request.user, link_id)
    except TicketError as exc:
        return workspace.refused(request, number, exc)
    fresh = selectors.ticket_for(request.user, number)
    return workspace.respond(request, fresh, ("sidebar", "history"), flash="Link removed.")


@staff_required
@require_POST
def resolve_children(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_for(request.user, number)
    form = ResolveChildrenForm(request.POST)
    if not form.is_valid():
        err = TicketError("Please correct the errors.")
        return workspace.refused(request, number, err, resolve_children_form=form)
    data = form.cleaned_data
    try:
        done = link_services.resolve_with_children(
            ticket, request.user, data["body"], expected_version=data["version"]
        )
    except TicketError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return workspace.refused(request, number, exc, resolve_children_form=form)
    fresh = selectors.ticket_for(request.user, number)
    numbers = ", ".join(f"#{n}" for n in done)
    replied = " with your reply" if data["body"].strip() else ""
    flash = f"Resolved this ticket and its children {numbers}{replied}."
    return workspace.respond(request, fresh, workspace.ALL_REGIONS, flash=flash)

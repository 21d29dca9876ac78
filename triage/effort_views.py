"""The effort panel's two actions (thin): record an estimate, and the Operations Lead's decision. They
answer like every workspace panel, through :func:`tickets.views.workspace.respond`."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import staff_required
from tickets import selectors as ticket_selectors
from tickets.errors import TicketError
from tickets.models import Ticket
from tickets.views import workspace

from . import effort, panels
from .forms import EffortDecisionForm, EffortForm


def _invalid(request: HtmxHttpRequest, ticket: Ticket, **bound: Any) -> HttpResponse:
    ctx = panels.context(ticket, request.user, **bound)
    return workspace.respond(
        request,
        ticket,
        ("sidebar",),
        status=400,
        flash="Please correct the errors.",
        flash_level="error",
        effort=ctx,
    )


@staff_required
@require_POST
def estimate(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    form = EffortForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            review = effort.estimate_effort(
                ticket,
                request.user,
                d["estimate_days"],
                arranged=d["arranged"],
                note=d["note"],
                expected_version=d["version"],
            )
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            text = (
                "Estimate recorded: raised with the Operations Lead."
                if review is not None and review.awaiting
                else "Estimate recorded."
            )
            return workspace.respond(request, ticket, workspace.ALL_REGIONS, flash=text)
    return _invalid(request, ticket, form=form)


@staff_required
@require_POST
def decide(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    form = EffortDecisionForm(request.POST)
    if form.is_valid():
        try:
            review = effort.decide_effort(
                ticket, request.user, form.cleaned_data["decision"], note=form.cleaned_data["note"]
            )
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            text = f"Decided: {review.get_decision_display()}."
            return workspace.respond(request, ticket, workspace.ALL_REGIONS, flash=text)
    return _invalid(request, ticket, decide_form=form)

"""Thin views of the sla app: the workspace's "next update by" commitment panel and the one-click
holding reply. Full pages without JavaScript, partials for HTMX (``request.htmx``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.permissions import staff_required
from sla import selectors, services
from sla.forms import CommitmentForm
from tickets.errors import TicketError
from tickets.selectors import ticket_for


def _render(
    request: HttpRequest, ticket, form: CommitmentForm, *, status: int = 200, done: str = ""
) -> HttpResponse:
    context = {"ticket": ticket, "form": form, "done": done, **selectors.commitment_panel(ticket)}
    if request.htmx:
        return render(request, "sla/partials/commitment.html", context)  # htmx swaps 2xx only
    return render(request, "sla/commitment.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def commitment(request: HttpRequest, number: int) -> HttpResponse:
    ticket = ticket_for(request.user, number)
    if request.method == "GET":
        return _render(request, ticket, CommitmentForm())
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.set_commitment(ticket, request.user, form.cleaned_data["due_at"])
        except TicketError as exc:
            form.add_error("due_at", str(exc))
        else:
            if not request.htmx:
                messages.success(request, "Commitment saved: the requester hears from us by then.")
                return redirect(ticket)
            ticket = ticket_for(request.user, number)
            return _render(request, ticket, CommitmentForm(), done="Commitment saved.")
    return _render(request, ticket, form, status=400)


@staff_required
@require_POST
def holding_reply(request: HttpRequest, number: int) -> HttpResponse:
    ticket = ticket_for(request.user, number)
    try:
        services.send_holding_reply(ticket, request.user)
    except TicketError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Holding reply sent to the requester.")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = ticket.get_absolute_url()
        return response
    return redirect(ticket)

"""The requester portal: their organization's tickets, public messages only, reply, new request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from helpdesk.http import HtmxHttpRequest
from tickets import selectors, services
from tickets.errors import TicketError
from tickets.forms import NewRequestForm, RequesterReplyForm
from tickets.models import Ticket


def _contact(request: HtmxHttpRequest):
    contact = getattr(request.user, "contact", None)
    if contact is None:
        raise PermissionDenied("Your account has no helpdesk role yet. Ask an administrator.")
    return contact


def portal_home(request: HtmxHttpRequest) -> HttpResponse:
    _contact(request)
    return render(
        request, "tickets/portal_home.html", {"tickets": selectors.requester_tickets(request.user)[:200]}
    )


def portal_detail(
    request: HtmxHttpRequest, ticket: Ticket, form: RequesterReplyForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "ticket": ticket,
        "conversation": selectors.conversation(ticket, request.user),
        "reply_form": form or RequesterReplyForm(),
    }
    return render(request, "tickets/portal_detail.html", context, status=status)


def portal_reply(request: HtmxHttpRequest, ticket: Ticket) -> HttpResponse:
    contact = _contact(request)
    form = RequesterReplyForm(request.POST)
    if form.is_valid():
        try:
            message = services.add_requester_reply(ticket, contact, form.cleaned_data["body"])
        except TicketError as exc:
            form.add_error("body", str(exc))
        else:
            if message.ticket_id != ticket.pk:
                messages.info(request, "That request was closed, so we opened a new one for your message.")
                return redirect(message.ticket)
            messages.success(request, "Message sent.")
            return redirect(ticket)
    return portal_detail(request, ticket, form, status=400)


@login_required
def new_request(request: HtmxHttpRequest) -> HttpResponse:
    contact = _contact(request)
    form = NewRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.open_ticket(contact, data["subject"], data["body"], kind=data["kind"])
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Thanks — your request #{ticket.number} was received.")
            return redirect(ticket)
    return render(request, "tickets/portal_new.html", {"form": form}, status=400 if form.errors else 200)

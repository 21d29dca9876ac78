"""The requester portal: their organization's tickets, public messages only, reply, new request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from helpdesk.http import HtmxHttpRequest
from tickets import message_files, selectors, services
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
    request: HtmxHttpRequest,
    ticket: Ticket,
    form: RequesterReplyForm | None = None,
    status: int = 200,
    files_form: dict | None = None,
) -> HttpResponse:
    context = {
        "ticket": ticket,
        "conversation": selectors.conversation(ticket, request.user),
        "reply_form": form or RequesterReplyForm(),
        "files_form": files_form or message_files.context(),
    }
    return render(request, "tickets/portal_detail.html", context, status=status)


def portal_reply(request: HtmxHttpRequest, ticket: Ticket) -> HttpResponse:
    contact = _contact(request)
    form = RequesterReplyForm(request.POST)
    uploads = message_files.read(request)
    if form.is_valid() and not message_files.errors(uploads):
        try:
            with transaction.atomic():
                message = services.add_requester_reply(ticket, contact, form.cleaned_data["body"])
                message_files.finish(message, uploads, request.user)
        except TicketError as exc:
            form.add_error("body", str(exc))
        else:
            if message.ticket_id != ticket.pk:
                messages.info(request, "That request was closed, so we opened a new one for your message.")
                return redirect(message.ticket)
            messages.success(request, "Message sent.")
            return redirect(ticket)
    kept = message_files.context(message_files.keep(uploads, request.user))
    return portal_detail(request, ticket, form, status=400, files_form=kept)


@login_required
def new_request(request: HtmxHttpRequest) -> HttpResponse:
    contact = _contact(request)
    form = NewRequestForm(request.POST or None)
    uploads = message_files.read(request) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid() and not message_files.errors(uploads):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                ticket = services.open_ticket(contact, data["subject"], data["body"], kind=data["kind"])
                message_files.finish(ticket.messages.get(), uploads, request.user)
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Thanks — your request #{ticket.number} was received.")
            return redirect(ticket)
    failed = request.method == "POST"
    files_form = message_files.context(message_files.keep(uploads, request.user) if failed else None)
    context = {"form": form, "files_form": files_form}
    return render(request, "tickets/portal_new.html", context, status=400 if failed else 200)

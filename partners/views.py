"""Side conversations in the workspace (start, write, partner ticket number) and the managers' team
setting of always-copied addresses. Workspace actions answer like the core ones
(:func:`tickets.views.workspace.respond`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import MANAGER, role_required, staff_required
from tickets import selectors as ticket_selectors
from tickets.errors import TicketError
from tickets.models import Team
from tickets.views import workspace

from . import selectors, services
from .forms import AlwaysCcForm, PartnerTicketForm, StartForm, WriteForm
from .models import SideConversation, TeamPartnerSettings


def _done(request: HtmxHttpRequest, number: int, flash: str) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    return workspace.respond(request, ticket, ("sidebar", "history"), flash=flash)


def _invalid(
    request: HtmxHttpRequest, number: int, form: Any, exc: TicketError | None, **bound: Any
) -> HttpResponse:
    if exc is not None:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    ticket = ticket_selectors.ticket_for(request.user, number)
    flash = str(exc) if exc is not None else "Please correct the errors."
    return workspace.respond(
        request, ticket, ("sidebar",), status=400, flash=flash, flash_level="error", **bound
    )


def _conversation(request: HtmxHttpRequest, number: int, pk: int) -> SideConversation:
    ticket = ticket_selectors.ticket_for(request.user, number)
    found = selectors.conversation_for(ticket, pk)
    if found is None:
        raise Http404("No such side conversation.")
    return found


@staff_required
@require_POST
def start(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    form = StartForm(request.POST)
    if not form.is_valid():
        return _invalid(request, number, form, None, side_start_form=form)
    try:
        conversation = services.start(ticket, request.user, **form.cleaned_data)
    except TicketError as exc:
        return _invalid(request, number, form, exc, side_start_form=form)
    return _done(request, number, f"Email to {conversation.partner_email} queued (side conversation).")


@staff_required
@require_POST
def write(request: HtmxHttpRequest, number: int, pk: int) -> HttpResponse:
    conversation = _conversation(request, number, pk)
    form = WriteForm(request.POST)
    typed = request.POST.get("body", "")
    try:
        if not form.is_valid():
            raise TicketError("Write the message to the partner.", field="body")
        services.write(conversation, request.user, form.cleaned_data["body"])
    except TicketError as exc:
        failed = {"pk": pk, "body": typed, "error": str(exc)}
        return _invalid(request, number, form, None, side_write_failed=failed)
    return _done(request, number, f"Email to {conversation.partner_email} queued.")


@staff_required
@require_POST
def partner_ticket(request: HtmxHttpRequest, number: int, pk: int) -> HttpResponse:
    conversation = _conversation(request, number, pk)
    form = PartnerTicketForm(request.POST)
    if not form.is_valid():
        return _invalid(request, number, form, None)
    try:
        services.set_partner_ticket(conversation, request.user, form.cleaned_data["partner_ticket"])
    except TicketError as exc:
        return _invalid(request, number, form, exc)
    return _done(request, number, "Partner ticket number saved.")


@role_required(MANAGER)
def team_settings(request: HtmxHttpRequest) -> HttpResponse:
    """Managers: the addresses always copied on partner mail, per team."""
    errors: dict[int, AlwaysCcForm] = {}
    if request.method == "POST":
        team = get_object_or_404(Team, pk=request.POST.get("team") or 0)
        form = AlwaysCcForm(request.POST)
        if form.is_valid():
            TeamPartnerSettings.objects.update_or_create(
                team=team, defaults={"always_cc": form.cleaned_data["always_cc"]}
            )
            messages.success(request, f"Saved the addresses copied on {team.name}'s partner mail.")
            return redirect("partners:settings")
        errors[team.pk] = form
    rows = [
        {
            "team": team,
            "form": errors.get(team.pk) or AlwaysCcForm(initial={"always_cc": s.always_cc if s else ""}),
        }
        for team, s in selectors.team_settings()
    ]
    return render(request, "partners/settings.html", {"rows": rows}, status=400 if errors else 200)

"""Workspace helpers: presence ("who else is here / typing"), the new-message notice, the @mention
autocomplete, and the hand-off actions (account manager, page on-call now)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.permissions import staff_required
from tickets import selectors as ticket_selectors
from tickets.errors import TicketError
from tickets.models import Message, Visibility

from . import handoffs, mentions, presence
from .forms import TicketNoteForm


@staff_required
@require_POST
def presence_poll(request: HttpRequest, number: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    others = presence.touch(ticket.pk, request.user, typing=request.POST.get("typing") == "1")
    since = request.POST.get("since", "")
    arrived: list[Message] = []
    if since.isdigit():  # messages by anyone else since this page was opened
        arrived = list(
            Message.objects.filter(ticket=ticket, id__gt=int(since))
            .exclude(author_user=request.user)
            .select_related("author_user", "author_contact")
            .order_by("id")[:5]
        )
    else:
        since = str(
            Message.objects.filter(ticket=ticket).order_by("-id").values_list("id", flat=True).first() or 0
        )
    ctx = {
        "ticket": ticket,
        "others": others,
        "since": since,
        "arrived": arrived,
        "public": Visibility.PUBLIC,
    }
    return render(request, "notifications/partials/presence.html", ctx)


@staff_required
@require_POST
def presence_leave(request: HttpRequest, number: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    presence.leave(ticket.pk, request.user)
    return HttpResponse(status=204)


@staff_required
@require_GET
def mention_help(request: HttpRequest) -> HttpResponse:
    """Suggestions for the ``@`` word being typed and a hint for names nobody answers to."""
    users, teams = mentions.suggestions(request.GET.get("q", "")) if "q" in request.GET else ([], [])
    unknown = mentions.resolve(request.GET.get("text", "")[:5000]).unknown if request.GET.get("text") else []
    return render(
        request,
        "notifications/partials/mention_help.html",
        {"users": users, "teams": teams, "unknown": unknown},
    )


def _action(
    request: HttpRequest, number: int, act: Callable[[Any, TicketNoteForm], str], title: str
) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    form = TicketNoteForm(request.POST)
    if form.is_valid():
        try:
            text = act(ticket, form)
        except TicketError as exc:
            form.add_error("note", str(exc))
        else:
            messages.success(request, text)
            return redirect(ticket)
    return render(
        request,
        "notifications/ticket_action.html",
        {"ticket": ticket, "form": form, "title": title},
        status=400,
    )


@staff_required
@require_POST
def account_manager(request: HttpRequest, number: int) -> HttpResponse:
    def act(ticket: Any, form: TicketNoteForm) -> str:
        handoffs.tell_account_manager(
            ticket,
            request.user,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
        return "The account manager has been told."

    return _action(request, number, act, "Let the account manager know")


@staff_required
@require_POST
def page_oncall(request: HttpRequest, number: int) -> HttpResponse:
    def act(ticket: Any, form: TicketNoteForm) -> str:
        targets = handoffs.page_oncall_now(
            ticket,
            request.user,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
        names = (
            ", ".join(u.get_full_name() or u.get_username() for u in targets) or "nobody (no managers either)"
        )
        return f"Paged now: {names}."

    return _action(request, number, act, "Page on-call now")

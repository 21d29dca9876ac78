"""Spam (issue #16): "Mark as spam" / "Not spam" in the workspace, and the staff Spam list to find those
tickets again (they are in no queue)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import staff_required
from tickets import selectors
from tickets.errors import TicketError
from tickets.rows import QueueRow
from tickets.services import spam as spam_services

from .bulk import bar_context
from .workspace import ALL_REGIONS, refused, respond

SPAM_LIST_CAP = 200


@staff_required
def spam_list(request: HtmxHttpRequest) -> HttpResponse:
    """The newest tickets marked as spam (the same rows and bulk bar as a queue; one query for the rows)."""
    values = selectors.queue_values().filter(spam_at__isnull=False).order_by("-spam_at", "-id")
    rows = [QueueRow(v) for v in values[: SPAM_LIST_CAP + 1]]
    selectors.decorate(rows[:SPAM_LIST_CAP])
    context = {"rows": rows[:SPAM_LIST_CAP], "more": len(rows) > SPAM_LIST_CAP, "cap": SPAM_LIST_CAP}
    return render(request, "tickets/spam_list.html", {**context, **bar_context(request, spam_list=True)})


def _version(request: HtmxHttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


def _spam_action(request: HtmxHttpRequest, number: int, spam: bool) -> HttpResponse:
    ticket = selectors.ticket_for(request.user, number)
    try:
        if spam:
            spam_services.mark_spam(ticket, request.user, expected_version=_version(request))
        else:
            spam_services.not_spam(ticket, request.user, expected_version=_version(request))
    except TicketError as exc:
        return refused(request, number, exc)
    flash = (
        "Marked as spam: out of every queue, nobody was told, the sender is blocked."
        if spam
        else "Not spam: back in its queue, the sender is no longer blocked."
    )
    back = request.POST.get("next", "")
    if not request.htmx and back in (reverse("triage:queue"), reverse("tickets:spam")):
        messages.success(request, f"#{number}: {flash}")  # from the triage queue or the Spam list
        return redirect(back)
    return respond(request, selectors.ticket_for(request.user, number), ALL_REGIONS, flash=flash)


@staff_required
@require_POST
def mark_spam(request: HtmxHttpRequest, number: int) -> HttpResponse:
    return _spam_action(request, number, True)


@staff_required
@require_POST
def not_spam(request: HtmxHttpRequest, number: int) -> HttpResponse:
    return _spam_action(request, number, False)

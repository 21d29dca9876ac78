"""The notification centre (bell, list with deep links, mark read / all read) and preferences."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.permissions import staff_required

from . import preferences, selectors, services
from .forms import PreferencesForm


@staff_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    before = request.GET.get("before", "")
    unread_only = request.GET.get("unread") == "1"
    rows, next_cursor = selectors.page(
        request.user, before=int(before) if before.isdigit() else None, unread_only=unread_only
    )
    ctx = {"rows": rows, "next_cursor": next_cursor, "unread_only": unread_only}
    if request.htmx and before:
        return render(request, "notifications/partials/rows.html", ctx)
    return render(request, "notifications/inbox.html", ctx)


@staff_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/partials/bell.html",
        {"notification_unread": selectors.unread_count(request.user)},
    )


@staff_required
@require_GET
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The deep link of a notice: marks it read and opens its ticket (or the list)."""
    row = services.mark_read(request.user, pk)
    if row is not None and row.ticket_id:
        return redirect(row.ticket)
    return redirect("notifications:inbox")


@staff_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    services.mark_read(request.user, pk)
    return _back(request, "")


@staff_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    n = services.mark_all_read(request.user)
    return _back(request, f"Marked {n} notice{'s' if n != 1 else ''} read.")


def _back(request: HttpRequest, flash: str) -> HttpResponse:
    if request.htmx:
        rows, next_cursor = selectors.page(request.user, unread_only=request.POST.get("unread") == "1")
        ctx = {
            "rows": rows,
            "next_cursor": next_cursor,
            "unread_only": request.POST.get("unread") == "1",
            "notification_unread": selectors.unread_count(request.user),
            "oob_bell": True,
        }
        return render(request, "notifications/partials/list.html", ctx)
    if flash:
        messages.success(request, flash)
    return redirect("notifications:inbox")


@staff_required
def preferences_view(request: HttpRequest) -> HttpResponse:
    current = preferences.channels_of(request.user.pk)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        preferences.save(request.user, form.cleaned_data)
        messages.success(request, "Your notification choices are saved.")
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form}, status=400 if form.errors else 200
    )

"""Macro screens: manage (list / create / edit, staff) and, in the ticket workspace, preview and apply.
Apply answers like the workspace's own actions (``tickets.views.workspace.respond``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import staff_required
from tickets import selectors as ticket_selectors
from tickets.errors import StaleTicket, TicketError
from tickets.views import workspace

from . import selectors, services
from .forms import MacroForm


@staff_required
def macro_list(request: HtmxHttpRequest) -> HttpResponse:
    rows = [{"macro": m, "does": services.describe(m)} for m in selectors.visible_macros(request.user)]
    return render(request, "macros/macro_list.html", {"rows": rows})


@staff_required
def macro_edit(request: HtmxHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.macro_for(request.user, pk) if pk else None
    initial = MacroForm.initial_for(instance) if instance else None
    form = MacroForm(request.POST or None, initial=initial, macro=instance)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.save_macro(request.user, data, personal=data.pop("personal"), instance=instance)
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Macro saved.")
            return redirect("macros:list")
    return render(
        request,
        "macros/macro_form.html",
        {"form": form, "item": instance},
        status=400 if form.errors else 200,
    )


@staff_required
@require_GET
def preview(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """What the chosen macro would change (HTMX: the preview box next to the reply text; else a page)."""
    ticket = ticket_selectors.ticket_for(request.user, number)
    raw = request.GET.get("macro", "")
    ctx: dict = {"ticket": ticket}
    if request.GET.get("close"):  # "Close": the empty preview box
        return render(request, "macros/partials/preview.html", ctx)
    if not (raw.isascii() and raw.isdigit()):
        ctx["macro_error"] = "Choose a macro."
    else:
        macro = selectors.macro_for(request.user, int(raw))
        ctx["macro"] = macro
        try:
            ctx["outcome"] = services.preview_macro(ticket, request.user, macro)
        except TicketError as exc:
            ctx["macro_error"] = str(exc)
    if request.htmx:  # htmx swaps only 2xx answers (as the workspace's own actions, see ``respond``)
        return render(request, "macros/partials/preview.html", ctx)
    return render(request, "macros/preview_page.html", ctx, status=400 if "macro_error" in ctx else 200)


@staff_required
@require_POST
def apply(request: HtmxHttpRequest, number: int, pk: int) -> HttpResponse:
    ticket = ticket_selectors.ticket_for(request.user, number)
    macro = selectors.macro_for(request.user, pk)
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isascii() and raw.isdigit() else None
    try:
        outcome = services.apply_macro(ticket, request.user, macro, expected_version=version)
    except TicketError as exc:
        fresh = ticket_selectors.ticket_for(request.user, number)
        stale = isinstance(exc, StaleTicket)
        regions = workspace.ALL_REGIONS if stale else ()
        return workspace.respond(
            request, fresh, regions, status=409 if stale else 400, flash=str(exc), flash_level="error"
        )
    fresh = ticket_selectors.ticket_for(request.user, number)
    flash = f"Macro “{macro.title}” applied: {outcome.summary()}."
    return workspace.respond(request, fresh, ("reply", *workspace.ALL_REGIONS), flash=flash)

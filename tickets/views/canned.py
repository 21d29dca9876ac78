"""Canned responses managed by staff: list, create, edit (issue #3 §3)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import staff_required
from tickets import canned
from tickets.errors import TicketError
from tickets.forms import CannedForm
from tickets.models import CannedResponse
from tickets.services import agent as agent_services


@staff_required
def canned_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request,
        "tickets/canned_list.html",
        {
            "items": CannedResponse.objects.select_related("created_by"),
            "placeholders": canned.placeholder_names(),
        },
    )


@staff_required
def canned_edit(request: HtmxHttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(CannedResponse, pk=pk) if pk else None
    initial = (
        {"title": instance.title, "body": instance.body, "is_active": instance.is_active}
        if instance
        else None
    )
    form = CannedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agent_services.save_canned(
                request.user, data["title"], data["body"], is_active=data["is_active"], instance=instance
            )
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Canned response saved.")
            return redirect("tickets:canned")
    return render(
        request,
        "tickets/canned_form.html",
        {"form": form, "item": instance, "placeholders": canned.placeholder_names()},
        status=400 if form.errors else 200,
    )

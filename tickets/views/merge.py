"""Merge from the workspace (issue #16): fold this ticket into another one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import staff_required
from tickets import selectors
from tickets.bulk import MergeParams
from tickets.errors import StaleTicket, TicketError
from tickets.services import merge as merge_services

from .workspace import ALL_REGIONS, refused, respond


class MergeForm(MergeParams):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@staff_required
@require_POST
def merge(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """Merge this ticket (the source) into ``into``; the answer shows the target's workspace."""
    source = selectors.ticket_for(request.user, number)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return respond(request, source, ("sidebar",), status=400, flash="Please correct the errors.",
                       flash_level="error", merge_form=form)  # fmt: skip
    data = form.cleaned_data
    try:
        target = merge_services.merge(
            source,
            data["into"],
            request.user,
            expected_version=data["version"],
            notify_requesters=data["notify"],
            confirm_cross_org=data["confirm_cross_org"],
        )
    except TicketError as exc:
        if not isinstance(exc, StaleTicket):
            form.add_error("into", str(exc))
        return refused(request, number, exc, merge_form=form)
    messages.success(request, f"#{number} was merged into #{target.number}.")
    if request.htmx:  # the page to look at now is the target's
        return HttpResponseClientRedirect(target.get_absolute_url())
    return respond(request, target, ALL_REGIONS)

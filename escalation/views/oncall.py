"""The weekly rota and the on-call shifts (000 "Support rota"); managers add entries."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from escalation import selectors
from escalation.forms import (
    OnCallShiftForm,
    TierAssignmentForm,
    error_field,
)
from escalation.services.oncall import add_shift, add_tier_assignment
from helpdesk.permissions import MANAGER, has_role, role_required, staff_required
from tickets.errors import TicketError


@staff_required
def rota(request: HttpRequest, status: int = 200, **forms) -> HttpResponse:
    try:
        day = (
            dt.date.fromisoformat(request.GET.get("week", ""))
            if request.GET.get("week")
            else timezone.localdate()
        )
    except ValueError:
        day = timezone.localdate()
    first, last = selectors.week_bounds(day)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    now = timezone.now()
    chain = selectors.oncall_chain(now)
    context = {
        "first": first,
        "last": last,
        "prev_week": first - dt.timedelta(days=7),
        "next_week": first + dt.timedelta(days=7),
        "assignments": list(selectors.rota_between(first, last)),
        "shifts": list(
            selectors.shifts_between(start, start + dt.timedelta(days=7)).order_by("starts_at", "order")
        ),
        "chain": chain,
        "nobody_on_call": not chain,
        "pages": list(selectors.open_pages()[:100]),
        "is_manager": has_role(request.user, MANAGER),
        "assignment_form": forms.get("assignment_form")
        or TierAssignmentForm(initial={"starts_on": first, "ends_on": last}),
        "shift_form": forms.get("shift_form") or OnCallShiftForm(initial={"order": 1}),
    }
    return render(request, "escalation/rota.html", context, status=status)


@role_required(MANAGER)
@require_POST
def rota_add(request: HttpRequest) -> HttpResponse:
    form = TierAssignmentForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            add_tier_assignment(d["user"], d["tier"], d["starts_on"], d["ends_on"], d["substitute_for"])
        except TicketError as exc:
            form.add_error(error_field(exc, form), str(exc))
        else:
            messages.success(request, "Rota entry added.")
            return redirect(f"{reverse('escalation:rota')}?week={d['starts_on'].isoformat()}")
    return rota(request, status=400, assignment_form=form)


@role_required(MANAGER)
@require_POST
def shift_add(request: HttpRequest) -> HttpResponse:
    form = OnCallShiftForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            add_shift(d["user"], d["starts_at"], d["ends_at"], d["order"])
        except TicketError as exc:
            form.add_error(error_field(exc, form), str(exc))
        else:
            messages.success(request, "On-call shift added.")
            return redirect("escalation:rota")
    return rota(request, status=400, shift_form=form)

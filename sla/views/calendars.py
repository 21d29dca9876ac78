"""Managers keep the business calendars (issue #5 §1): working hours per weekday (split shifts too),
public holidays by country, extra closed days, the default calendar and per-organization overrides.
An edit applies at once: weeks are cached by content (sla/calendars.py)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from helpdesk.permissions import MANAGER, role_required
from sla import services
from sla.forms import DAY_FIELDS, CalendarForm, hours_text
from sla.models import BusinessCalendar
from tickets.errors import TicketError


@role_required(MANAGER)
def calendars(request: HttpRequest) -> HttpResponse:
    rows = list(
        BusinessCalendar.objects.annotate(n_orgs=Count("organizations")).order_by("-is_default", "name")
    )
    for cal in rows:
        hours = list(cal.weekly_hours or []) + [None] * 7
        cal.days = [(day.title(), hours_text(hours[i]) or "closed") for i, day in enumerate(DAY_FIELDS)]
    return render(request, "sla/calendars.html", {"calendars": rows})


@role_required(MANAGER)
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    cal = get_object_or_404(BusinessCalendar, pk=pk) if pk is not None else None
    if request.method == "GET":
        return render(
            request, "sla/calendar_form.html", {"form": CalendarForm(instance=cal), "calendar": cal}
        )
    form = CalendarForm(request.POST, instance=cal)
    status = 400
    if form.is_valid():
        try:
            saved = services.save_calendar(
                form.apply(),
                organizations=form.cleaned_data["organizations"],
                expected_version=form.cleaned_data["version"] if cal is not None else None,
            )
        except TicketError as exc:
            if isinstance(exc, services.StaleSetting) and cal is not None:
                status, form = 409, _rearmed(request, cal.pk)
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Calendar “{saved.name}” saved; SLA deadlines use it from now on.")
            return redirect("sla:calendars")
    return render(request, "sla/calendar_form.html", {"form": form, "calendar": cal}, status=status)


def _rearmed(request: HttpRequest, pk: int) -> CalendarForm:
    """The typed values with the stored version: saving again deliberately replaces the other edit."""
    current = BusinessCalendar.objects.get(pk=pk)
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = CalendarForm(data, instance=current)
    form.is_valid()
    return form

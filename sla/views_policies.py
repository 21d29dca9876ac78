"""Managers edit the SLA policies (issue #5 §2): one row per tier/priority, limits in business hours.
Running clocks keep the limits they started with."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.permissions import MANAGER, role_required
from tickets.errors import TicketError

from . import services
from .forms import PolicyForm
from .models import SlaPolicy

HOUR = 3600


def _rows(forms: dict[int, PolicyForm] | None = None) -> list[tuple[SlaPolicy, PolicyForm]]:
    forms = forms or {}
    policies = SlaPolicy.objects.select_related("calendar", "lead").order_by("tier", "priority")
    return [(p, forms.get(p.pk) or _form(p)) for p in policies]


def _form(policy: SlaPolicy) -> PolicyForm:
    return PolicyForm(initial={"green_hours": round(policy.green_seconds / HOUR, 2),
                               "yellow_hours": round(policy.yellow_seconds / HOUR, 2)})


@role_required(MANAGER)
@require_GET
def policies(request: HttpRequest) -> HttpResponse:
    return render(request, "sla/policies.html", {"rows": _rows()})


@role_required(MANAGER)
@require_POST
def edit_policy(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(SlaPolicy.objects.select_related("calendar", "lead"), pk=pk)
    form = PolicyForm(request.POST)
    saved = False
    if form.is_valid():
        policy.green_seconds = int(form.cleaned_data["green_hours"] * HOUR)
        policy.yellow_seconds = int(form.cleaned_data["yellow_hours"] * HOUR)
        try:
            services.save_policy(policy)
            saved = True
        except TicketError as exc:
            form.add_error(None, str(exc))
            policy.refresh_from_db()
    if request.htmx:
        return render(request, "sla/partials/policy_row.html",
                      {"policy": policy, "form": _form(policy) if saved else form, "saved": saved})
    if saved:
        messages.success(request, f"{policy} saved. Running clocks keep their limits.")
        return redirect("sla:policies")
    return render(request, "sla/policies.html", {"rows": _rows({policy.pk: form})}, status=400)

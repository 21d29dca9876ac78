"""Managers edit the SLA policies (issue #5 §2): one row per tier/priority, limits in business hours.
Running clocks keep the limits they started with."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import MANAGER, role_required
from sla import services
from sla.forms import PolicyForm
from sla.models import SlaPolicy
from tickets.errors import TicketError
from tickets.selectors import filter_choices

HOUR = 3600


def _staff() -> list[tuple[int, str]]:
    return filter_choices()["staff"]  # cached with the queue filters


def _rows(forms: dict[int, PolicyForm] | None = None) -> list[tuple[SlaPolicy, PolicyForm]]:
    forms = forms or {}
    policies = SlaPolicy.objects.select_related("calendar", "lead").order_by("tier", "priority")
    staff = _staff()
    return [(p, forms.get(p.pk) or _form(p, staff)) for p in policies]


def _form(policy: SlaPolicy, staff: list[tuple[int, str]]) -> PolicyForm:
    return PolicyForm(
        staff=staff,
        initial={
            "green_hours": round(policy.green_seconds / HOUR, 2),
            "yellow_hours": round(policy.yellow_seconds / HOUR, 2),
            "lead": policy.lead_id or "",
            "version": policy.version,
        },
    )


@role_required(MANAGER)
@require_GET
def policies(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "sla/policies.html", {"rows": _rows()})


@role_required(MANAGER)
@require_POST
def edit_policy(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(SlaPolicy.objects.select_related("calendar", "lead"), pk=pk)
    staff = _staff()
    form = PolicyForm(request.POST, staff=staff)
    saved, status = False, 400
    if form.is_valid():
        policy.green_seconds = int(form.cleaned_data["green_hours"] * HOUR)
        policy.yellow_seconds = int(form.cleaned_data["yellow_hours"] * HOUR)
        policy.lead_id = form.cleaned_data["lead"]
        try:
            services.save_policy(policy, expected_version=form.cleaned_data["version"])
            saved = True
        except TicketError as exc:
            form.add_error(None, str(exc))
            policy.refresh_from_db()
            if isinstance(exc, services.StaleSetting):  # the next save replaces the other manager's values
                status = 409
                form = _rearmed(form, policy.version, staff)
    if request.htmx:
        return render(
            request,
            "sla/partials/policy_row.html",
            {"policy": policy, "form": _form(policy, staff) if saved else form, "saved": saved},
        )
    if saved:
        messages.success(request, f"{policy} saved. Running clocks keep their limits.")
        return redirect("sla:policies")
    return render(request, "sla/policies.html", {"rows": _rows({policy.pk: form})}, status=status)


def _rearmed(form: PolicyForm, version: int, staff: list[tuple[int, str]]) -> PolicyForm:
    """The typed values with the current version, so saving again is a deliberate overwrite."""
    data = {key: form.data.get(key) for key in ("green_hours", "yellow_hours", "lead")}
    data["version"] = str(version)
    kept = PolicyForm(data, staff=staff)
    kept.is_valid()
    for error in form.non_field_errors():
        kept.add_error(None, error)
    return kept

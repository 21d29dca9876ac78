"""The Playbook screen (staff read, managers tune), its YAML export and import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.permissions import AGENT, MANAGER, TRIAGE_LEAD, has_role, role_required
from tickets.errors import TicketError

from . import params, rules, selectors, services, yamlio
from .forms import ImportForm
from .params import InvalidParameter

# Screens a rule's "Open" link points at that need more than the Agent role; the link is left out for
# people who would only get "forbidden" there.
SCREEN_ROLES = {
    "/triage/": TRIAGE_LEAD,
    "/sla/policies/": MANAGER,
    "/dashboard/": MANAGER,
    "/escalation/review/": MANAGER,
    "/reports/handover/": MANAGER,
}


def _context(
    request: HttpRequest, errors: dict[str, str] | None = None, typed: dict[str, str] | None = None
) -> dict[str, Any]:
    values = params.current()
    fig = selectors.week_figures()
    return {
        "groups": rules.grouped(fig),
        "week_start": fig.week_start,
        "values": values,
        "param_rows": {
            key: {
                "param": p,
                "shown": p.show(values[key]),
                "input": (typed or {}).get(key, _as_text(p, values[key])),
                "error": (errors or {}).get(key, ""),
                "is_default": values[key] == p.default(),
            }
            for key, p in params.PARAMS.items()
        },
        "sla_table": selectors.sla_table(),
        "changes": selectors.recent_changes(),
        "can_tune": has_role(request.user, MANAGER),
        "open_screens": {
            r.screen
            for r in rules.RULES
            if r.screen and has_role(request.user, SCREEN_ROLES.get(r.screen, AGENT))
        },
    }


def _as_text(p: params.Param, value: Any) -> Any:
    if p.kind == "list":
        return ", ".join(value)
    if p.kind == "priorities":
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return value


@role_required(AGENT)
@require_GET
def playbook(request: HttpRequest) -> HttpResponse:
    return render(request, "playbook/playbook.html", _context(request))


@role_required(MANAGER)
@require_POST
def tune(request: HttpRequest, key: str) -> HttpResponse:
    raw = request.POST.get("value", "")
    try:
        change = services.set_param(key, raw, request.user)
    except InvalidParameter as exc:
        ctx = _context(request, errors={exc.field: str(exc)}, typed={key: raw})
        return render(request, "playbook/playbook.html", ctx, status=400)
    if change is None:
        messages.info(request, f"{params.PARAMS[key].label}: unchanged.")
    else:
        p = params.PARAMS[key]
        messages.success(request, f"{p.label}: {p.show(change.old_value)} → {p.show(change.new_value)}.")
    return redirect(f"/playbook/#param-{key}")


@role_required(AGENT)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(yamlio.export_yaml(), content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="playbook.yaml"'
    return response


@role_required(MANAGER)
@require_http_methods(["GET", "POST"])
def import_playbook(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"form": form}
    if request.method == "GET" or not form.is_valid():
        return render(request, "playbook/import.html", ctx, status=200 if request.method == "GET" else 400)
    text = form.cleaned_data["text"]
    try:
        if request.POST.get("apply") == "yes":
            plan = yamlio.apply_import(text, request.user)
            messages.success(request, f"Playbook imported: {len(plan.differences)} change(s) applied.")
            return redirect("playbook:playbook")
        ctx["plan"] = yamlio.plan_import(text)
    except (InvalidParameter, TicketError) as exc:
        ctx["error"] = str(exc)
        ctx["error_field"] = getattr(exc, "field", "") or ""
        return render(request, "playbook/import.html", ctx, status=400)
    ctx["text"] = text
    return render(request, "playbook/import.html", ctx)

"""The queues' bulk bar (issue #16): one POST applies an action to the picked rows and answers with a
per-row report and the refreshed rows (HTMX), or redirects back with the report (plain form)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from helpdesk import localcache
from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import staff_required
from tickets import bulk, extensions, selectors
from tickets.rows import QueueRow, row_html
from tickets.services.bulk import parse_picks, run_bulk


def bar_context(request: HtmxHttpRequest, *, spam_list: bool = False) -> dict[str, Any]:
    """The bar for a list screen: the person's actions with their (unbound) fields. The Spam list offers
    only what undoes spam; the queues everything else. The bar is the same on every page and every 30 s
    refresh, and its fields (staff, teams, macros) cost a third of a queue page to build and render: it is
    kept rendered for a few seconds per person in this process (a new macro or colleague shows within
    ``BAR_SECONDS``)."""
    key = f"bulk-bar:{request.user.pk}:{int(spam_list)}"
    return {"bulk_bar_html": localcache.remembered(key, BAR_SECONDS, lambda: _bar_html(request, spam_list))}


BAR_SECONDS = 10


def _bar_html(request: HtmxHttpRequest, spam_list: bool) -> str:
    actions = [
        a for a in extensions.bulk_actions(request.user) if (a.key in bulk.SPAM_LIST_KEYS) == spam_list
    ]
    rows = [{"action": a, "form": a.form(prefix=a.key) if a.form is not None else None} for a in actions]
    return render_to_string("tickets/partials/bulk_fields.html", {"bulk_actions": rows})


def _back(request: HtmxHttpRequest) -> str:
    target = request.POST.get("next", "")
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if ok and target.startswith("/") else "/"


def _refused(request: HtmxHttpRequest, errors: list[str]) -> HttpResponse:
    if request.htmx:
        return render(request, "tickets/partials/bulk_report.html", {"errors": errors}, status=400)
    for error in errors:
        messages.error(request, error)
    return redirect(_back(request))


@staff_required
@require_POST
def bulk_apply(request: HtmxHttpRequest) -> HttpResponse:
    action = extensions.bulk_action(request.POST.get("action", ""))
    if action is None or not action.allowed_for(request.user):
        return _refused(request, ["Choose an action."])
    picks = parse_picks(request.POST.getlist("ticket"))
    if not picks:
        return _refused(request, ["Select at least one ticket first."])
    params: dict[str, Any] = {}
    if action.form is not None:
        form = action.form(request.POST, prefix=action.key)
        if not form.is_valid():
            errors = [f"{form[name].label}: {e}" if name in form.fields else str(e)
                      for name, errs in form.errors.items() for e in errs]  # fmt: skip
            return _refused(request, errors)
        params = form.cleaned_data
    report = run_bulk(action, request.user, picks, params)
    if not request.htmx:
        (messages.warning if report.skipped else messages.success)(request, report.summary())
        return redirect(_back(request))
    rows = [QueueRow(values) for values in selectors.queue_values().filter(pk__in=report.ids)]
    selectors.decorate(rows)
    response = render(
        request,
        "tickets/partials/bulk_report.html",
        {"report": report, "rows": [row_html(r, oob=True) for r in rows]},
    )
    response["HX-Trigger"] = "bulk-done"
    return response

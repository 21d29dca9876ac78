"""Agent home screens: My work ("/") and the queues ("/queues/…"), saved views and "hand back all my
tickets". Requesters hitting "/" get their portal (tickets/views/portal.py). Views stay thin: parse,
call a selector/service, render; HTMX requests get partials."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import is_staff_member, staff_required
from tickets import extensions, queues, select_options, selectors
from tickets.errors import TicketError
from tickets.forms import QueueQueryForm, SavedViewForm
from tickets.models import Priority
from tickets.services import agent as agent_services

from . import portal
from .bulk import bar_context


@login_required
def home(request: HtmxHttpRequest) -> HttpResponse:
    """My work for staff; the requester portal for everybody else (403 without a contact)."""
    if not is_staff_member(request.user):
        return portal.portal_home(request)
    work = selectors.my_work(request.user)
    return render(request, "tickets/my_work.html", {"work": work, **bar_context(request)})


@staff_required
@require_POST
def notices_read(request: HtmxHttpRequest) -> HttpResponse:
    agent_services.mark_notices_read(request.user)
    return redirect("tickets:home")


@staff_required
@require_POST
def hand_back(request: HtmxHttpRequest) -> HttpResponse:
    """End of shift (002): every unfinished ticket I own goes back to its queue, one event each."""
    moved = agent_services.hand_back_all(request.user)
    messages.success(
        request,
        f"Handed back {moved} ticket{'s' if moved != 1 else ''} to the queues."
        if moved
        else "You own no unfinished tickets.",
    )
    return redirect("tickets:home")


@staff_required
def my_queue(request: HtmxHttpRequest) -> HttpResponse:
    """ "Queues" opens the tier the agent is on the rota for this week (000 "Support rota"), else All open."""
    tiers = [t for t in extensions.my_tiers(request.user) if t in queues.QUEUE_TIERS]
    if tiers:
        return redirect("tickets:queue", key=tiers[0])
    return queue(request, "all")


@staff_required
def queue(request: HtmxHttpRequest, key: str = "all") -> HttpResponse:
    """One queue page: filters, sort, keyset pagination; HTMX (live refresh) gets only the rows."""
    choices = selectors.filter_choices()
    teams = choices["teams"]
    current = queues.find_queue(key, teams)
    if current is None:
        raise Http404("No such queue.")
    query = QueueQueryForm(request.GET).query()
    rows, next_cursor = queues.page(selectors.queue_values, current, query, request.user)
    selectors.decorate(rows)
    params = {k: v for k, v in request.GET.items() if k != "after" and v}
    context = {
        "queue": current,
        "query": query,
        "rows": rows,
        "rows_html": mark_safe("".join(f"{t.row_html}\n" for t in rows)),  # noqa: S308 — rows.row_html
        "params": params,
        "next_url": f"?{urlencode({**params, 'after': next_cursor})}" if next_cursor else None,
        "first_url": f"?{urlencode(params)}" if query.after is not None else None,
    }
    if request.htmx and request.GET.get("partial") == "rows":
        return render(request, "tickets/partials/queue_rows.html", context)
    context.update(_frame(request, current, query, choices))
    return render(request, "tickets/queue.html", context)


def _frame(
    request: HtmxHttpRequest, current: queues.Queue, query: queues.QueueQuery, choices: dict[str, Any]
) -> dict[str, Any]:
    """What the full page shows around the rows: queue tabs, filter choices, saved views, bulk bar —
    the lists joined in Python (``select_options``), not looped over in the template."""
    base = reverse("tickets:queue", args=["all"])[:-4]  # "/queues/"
    tabs = "".join(
        f'<a href="{escape(base + q.key)}/"{_CURRENT if q.key == current.key else ""}>{escape(q.label)}</a>'
        for q in queues.queue_list(choices["teams"])
    )
    return {
        "queue_base": base,
        "queue_nav_html": mark_safe(tabs),  # noqa: S308 — keys and labels escaped above
        "sort_options": select_options.options([(k, v[0]) for k, v in queues.SORTS.items()], query.sort),
        "status_options": select_options.options(
            [(k, v[0]) for k, v in queues.STATUS_FILTERS.items()], query.status
        ),
        "priority_options": select_options.options(Priority.choices, query.priority),
        "assignee_options": select_options.options(
            [("me", "Me"), ("none", "Nobody"), *choices["staff"]], query.assignee
        ),
        "org_options": select_options.with_selected(choices["organization_options"], query.organization),
        "saved_views": selectors.saved_views(request.user),
        "view_form": SavedViewForm(),
        **bar_context(request),
    }


_CURRENT = ' aria-current="page"'


@staff_required
@require_POST
def save_view(request: HtmxHttpRequest, key: str) -> HttpResponse:
    """Save the queue's current filters (posted as hidden fields) under a name."""
    form = SavedViewForm(request.POST)
    params = {
        k: request.POST.get(k, "")
        for k in ("status", "priority", "band", "tag", "assignee", "org", "q", "sort")
    }
    back = reverse("tickets:queue", args=[key]) + "?" + urlencode({k: v for k, v in params.items() if v})
    if not form.is_valid():
        messages.error(request, "Give the view a name.")
        return redirect(back)
    try:
        agent_services.save_view(request.user, form.cleaned_data["name"], key, params)
    except TicketError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Saved view “{form.cleaned_data['name']}”.")
    return redirect(back)


@staff_required
@require_POST
def delete_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    if agent_services.delete_view(request.user, pk):
        messages.success(request, "Saved view deleted.")
    return redirect(
        request.POST.get("next")
        if str(request.POST.get("next", "")).startswith("/queues/")
        else reverse("tickets:queue")
    )

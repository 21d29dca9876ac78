"""Triage screens (thin): the queue, one-click decisions that swap a row in place (HTMX), bulk actions,
the split page and the authorised contact's confirmation page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.http import HtmxHttpRequest
from helpdesk.people import display_name, staff_users
from helpdesk.permissions import MANAGER, TRIAGE_LEAD, has_role, role_required, staff_required
from tickets import bulk as ticket_bulk
from tickets import related as ticket_related
from tickets import select_options
from tickets import selectors as ticket_selectors
from tickets.errors import TicketError
from tickets.models import Priority, Team, Ticket, Visibility
from tickets.services.bulk import run_bulk

from . import forms, selectors, services
from .models import AuthorisationRequest
from .rows import compact_row
from .split import split_ticket

ROW_COLUMNS = 6


@dataclass(frozen=True)
class Action:
    form: type[django_forms.Form]
    run: Callable[..., Any]
    done: Callable[[Ticket], str]
    minimum: str = TRIAGE_LEAD
    swaps_row: bool = True  # the ticket leaves the queue; False → the row is re-rendered


def _position(after: str) -> int | None:
    """``?after=``: a ticket id, or None for anything else (``²``, a huge number …)."""
    return int(after) if after.isascii() and after.isdigit() and len(after) < 19 else None


def _who(ticket: Ticket) -> str:
    return display_name(ticket.triaged_by, nobody="someone")


ACTIONS: dict[str, Action] = {
    "approve": Action(
        forms.ApproveForm,
        services.triage_approve,
        lambda t: (
            f"approved for {t.get_tier_display()}"
            + (f", assigned to {display_name(t.assignee, nobody='someone')}" if t.assignee_id else "")
        ),
    ),
    "project": Action(
        forms.ProjectForm,
        services.triage_project,
        lambda t: "marked as project work: requester told, backlog item created, resolved",
    ),
    "reroute": Action(
        forms.RerouteForm,
        services.triage_reroute,
        lambda t: (
            "rerouted to "
            + " / ".join(
                x
                for x in (
                    t.team.name if t.team_id else "",
                    display_name(t.assignee, nobody="someone") if t.assignee_id else "",
                )
                if x
            )
        ),
    ),
    "chargeable": Action(
        forms.ChargeableForm,
        services.triage_chargeable,
        lambda t: f"chargeable, handed to {display_name(t.assignee, nobody='someone')}",
    ),
    "answer": Action(
        forms.AnswerForm, services.triage_answer, lambda t: f"answered and {t.get_status_display().lower()}"
    ),
    "priority": Action(
        forms.PriorityForm, services.set_priority, lambda t: "priority reviewed", swaps_row=False
    ),
    "authorisation": Action(
        forms.AuthorisationRequestForm,
        services.request_authorisation,
        lambda t: "confirmation requested",
        swaps_row=False,
    ),
    "override": Action(
        forms.OverrideForm,
        services.override_authorisation,
        lambda t: "authorisation overridden",
        minimum=MANAGER,
        swaps_row=False,
    ),
}


def _options(page: selectors.QueuePage) -> dict[str, Any]:
    """The <option> lists every row repeats, rendered once per page (50 rows × dozens of staff options
    through the template engine cost more than all the page's SQL)."""
    canned = page.rows[0].canned if page.rows else []
    return {
        "staff": select_options.options((u.pk, display_name(u)) for u in page.staff),
        "teams": select_options.options((t.pk, t.name) for t in page.teams),
        "tiers": select_options.options((t.value, t.label) for t in services.APPROVE_TIERS),
        "priorities": select_options.options(Priority.choices),
        "canned": select_options.options(canned),
        "answer_statuses": select_options.options(
            ((s.value, f"Then {s.label}") for s in services.ANSWER_STATUSES), "resolved"
        ),
    }


def _page_context(page: selectors.QueuePage, request: HtmxHttpRequest) -> dict[str, Any]:
    priorities = select_options.options(Priority.choices)
    # URL prefixes reversed once per page, not ~20 times per row.
    decide = reverse("triage:decide", args=[0, "approve"]).removesuffix("0/approve/")
    ticket = reverse("tickets:detail", args=[0]).removesuffix("0/")
    for row in page.rows:
        row.priority_options = select_options.with_selected(priorities, row.priority)
        row.decide_url, row.ticket_url = f"{decide}{row.number}/", f"{ticket}{row.number}/"
    return {
        "opt": _options(page),
        "page": page,
        "rows": page.rows,
        "staff": page.staff,
        "teams": page.teams,
        "tiers": services.APPROVE_TIERS,
        "priorities": Priority.choices,
        "answer_statuses": services.ANSWER_STATUSES,
        "threshold": selectors.BACKLOG_THRESHOLD,
        "can_override": has_role(request.user, MANAGER),
        "columns": ROW_COLUMNS,
    }


def _filter(request: HtmxHttpRequest) -> selectors.QueueFilter:
    """The queue's query string; a bad value is dropped with a message (never a 500)."""
    form = forms.QueueQueryForm(request.GET)
    form.is_valid()
    query = form.query()
    for note in form.notes:
        messages.error(request, note)
    return query


@role_required(TRIAGE_LEAD)
def queue(request: HtmxHttpRequest) -> HttpResponse:
    query = _filter(request)
    page = selectors.queue_page(query=query, user=request.user)
    context = _page_context(page, request)
    for row in page.rows:
        row.compact_html = compact_row(row)  # the row before it is opened, built in Python (triage/rows.py)
    params = {k: v for k, v in (("q", query.text), ("band", query.band), ("sort", query.sort)) if v}
    if page.next_after or page.next_cursor:
        params["after"] = str(page.next_after or page.next_cursor)
    return render(
        request,
        "triage/queue.html",
        {
            **context,
            "query": query,
            "band": query.band,
            "sorts": [(k, v[0]) for k, v in selectors.SORTS.items()],
            "next_query": urlencode(params) if "after" in params else "",
            "effort_awaiting": selectors.effort_awaiting(),
        },
    )


@role_required(TRIAGE_LEAD)
def row(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """A queue row with its decision forms (and likely duplicates), fetched when the lead opens it; without
    JavaScript, the same row on a page of its own."""
    context = _row_context(request, number)
    context["duplicates"] = ticket_related.likely_duplicates(context["t"])
    return _respond(request, "row.html", context, status=200)


def _row_context(request: HtmxHttpRequest, number: int, **extra: Any) -> dict[str, Any]:
    row = selectors.queue_row(number, request.user)
    if row is None:
        raise Http404("No such ticket.")
    page = selectors.QueuePage(
        rows=[row],
        next_after=None,
        age_counts=[],
        total=0,
        backlog=False,
        staff=list(staff_users()),
        teams=list(Team.objects.all()),
    )
    return {**_page_context(page, request), "t": row, **extra}


def _respond(request: HtmxHttpRequest, template: str, context: dict[str, Any], status: int) -> HttpResponse:
    """HTMX gets the row fragment with 200 (htmx swaps only 2xx); a plain POST gets a full page."""
    if request.htmx:
        return render(request, f"triage/partials/{template}", context)
    return render(
        request,
        "triage/decision.html",
        {**context, "row_template": f"triage/partials/{template}"},
        status=status,
    )


@require_POST
def decide(request: HtmxHttpRequest, number: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such decision.")
    return role_required(spec.minimum)(_decide)(request, number, action, spec)


def _decide(request: HtmxHttpRequest, number: int, action: str, spec: Action) -> HttpResponse:
    ticket = Ticket.objects.filter(number=number).first()
    if ticket is None:
        raise Http404("No such ticket.")
    form = spec.form(request.POST)
    if form.is_valid():
        try:
            spec.run(ticket=ticket, actor=request.user, **form.service_kwargs())
        except services.AlreadyTriaged as exc:
            context = {"number": number, "notice": str(exc), "kind": "warning", "columns": ROW_COLUMNS}
            return _done(request, context, status=409)
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            if not spec.swaps_row:
                # The ticket stays in the queue: show the row again with its new state.
                if request.htmx:
                    return render(
                        request,
                        "triage/partials/row.html",
                        _row_context(request, number, notice=f"{spec.done(ticket).capitalize()}."),
                    )
                messages.success(request, f"#{number}: {spec.done(ticket)}.")
                return redirect("triage:queue")
            ticket.refresh_from_db()
            text = f"#{number} {spec.done(ticket)} — by {_who(ticket)}."
            return _done(
                request,
                {"number": number, "notice": text, "kind": "ok", "ticket": ticket, "columns": ROW_COLUMNS},
                status=200,
            )
    context = _row_context(
        request,
        number,
        failed=action,
        bound=form.data,
        errors=form.errors,
        non_field_errors=form.non_field_errors(),
    )
    return _respond(request, "row.html", context, status=400)


def _done(request: HtmxHttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    if request.htmx:
        return render(request, "triage/partials/done_row.html", context)
    (messages.success if context["kind"] == "ok" else messages.warning)(request, context["notice"])
    return redirect("triage:queue")


@role_required(TRIAGE_LEAD)
@require_POST
def bulk(request: HtmxHttpRequest) -> HttpResponse:
    form = forms.BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("triage:queue")
    data = form.cleaned_data
    tickets = list(Ticket.objects.filter(number__in=data["tickets"]).order_by("id"))
    if data["op"] == "spam":  # the queues' bulk action, row by row through the spam service
        report = run_bulk(ticket_bulk.SPAM, request.user, [(t.pk, None) for t in tickets], {})
        (messages.warning if report.skipped else messages.success)(request, f"Spam: {report.summary()}")
        return redirect("triage:queue")
    if data["op"] == "approve":
        outcomes = services.bulk_approve(tickets=tickets, actor=request.user, tier=data["tier"])
    else:
        outcomes = services.bulk_set_priority(tickets=tickets, actor=request.user, priority=data["priority"])
    for outcome in outcomes:
        (messages.success if outcome.ok else messages.error)(
            request, outcome.message if outcome.ok else f"#{outcome.number}: {outcome.message}"
        )
    return redirect("triage:queue")


@staff_required
@require_http_methods(["GET", "POST"])
def split(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """004 "Unrelated question on same ticket": pick the message, give the new ticket its title."""
    ticket = ticket_selectors.ticket_for(request.user, number)
    conversation = ticket_selectors.conversation(ticket, request.user).filter(visibility=Visibility.PUBLIC)
    initial_message = request.GET.get("message")
    form = forms.SplitForm(request.POST or None, initial={"message": initial_message})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        message = conversation.filter(pk=data["message"]).first()
        if message is None:
            form.add_error("message", "Pick a message of this ticket.")
        else:
            try:
                new = split_ticket(
                    ticket=ticket,
                    message=message,
                    actor=request.user,
                    subject=data["subject"],
                    kind=data["kind"],
                )
            except TicketError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"Split into #{new.number} “{new.subject}”, back in triage.")
                return redirect(new)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "triage/split.html",
        {
            "ticket": ticket,
            "conversation": conversation,
            "form": form,
            "selected": str(form["message"].value() or ""),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def authorise(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The authorised contact's confirmation page. The unguessable token in the emailed link is the
    credential, so it works signed in to the portal or not."""
    req = (
        AuthorisationRequest.objects.select_related(
            "ticket", "ticket__requester", "ticket__organization", "requested_from"
        )
        .filter(token=token)
        .first()
    )
    if req is None:
        raise Http404("This confirmation link is not valid.")
    error = ""
    if request.method == "POST":
        try:
            req = services.respond_to_authorisation(
                token=token, confirm=request.POST.get("answer") == "confirm"
            )
        except TicketError as exc:
            error = str(exc)
    first = req.ticket.messages.filter(visibility=Visibility.PUBLIC).order_by("created_at", "id").first()
    return render(
        request,
        "triage/authorise.html",
        {"req": req, "first": first, "error": error},
        status=400 if error else 200,
    )


@role_required(TRIAGE_LEAD)
def backlog(request: HtmxHttpRequest) -> HttpResponse:
    """The project backlog fed by "Project" decisions (newest first)."""
    return render(request, "triage/backlog.html", {"items": selectors.project_backlog()[:200]})

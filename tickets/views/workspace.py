"""The ticket workspace (issue #3 §3–5): conversation, reply with canned responses and drafts, and the
side panel (status, priority, assignee / Take it, tags, followers). Every action works as a plain form
POST (redirect after success, page with errors on failure) and as HTMX (out-of-band swaps of the
regions that changed; the typed reply is never thrown away)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_POST

from helpdesk.http import HtmxHttpRequest
from helpdesk.people import display_name, staff_users
from helpdesk.permissions import is_staff_member, staff_required
from playbook import params
from tickets import canned, fragments, message_files, selectors, services
from tickets.errors import StaleTicket, TicketError
from tickets.forms import AssigneeForm, PriorityForm, ReplyForm, StatusForm, TagsForm
from tickets.models import CannedResponse, MessageFormat, Ticket, Visibility
from tickets.services import agent as agent_services
from tickets.services import links as link_services

from . import portal
from .workspace_context import workspace_context

ALL_REGIONS = ("header", "conversation", "sidebar", "history", "reply_meta")


def _ticket(request: HtmxHttpRequest, number: int) -> Ticket:
    return selectors.ticket_for(request.user, number)


def _fresh(request: HtmxHttpRequest, number: int) -> Ticket:
    """Re-read after a change (the services return the locked copy without joins)."""
    return selectors.ticket_for(request.user, number)


def _after_change(request: HtmxHttpRequest, number: int, ticket: Ticket) -> Ticket:
    """The ticket to answer a successful change with: re-read for HTMX (its regions show it); a plain POST
    is answered with a redirect, which needs only the number."""
    return _fresh(request, number) if request.htmx else ticket


def respond(
    request: HtmxHttpRequest,
    ticket: Ticket,
    regions: tuple[str, ...],
    *,
    flash: str = "",
    flash_level: str = "success",
    status: int = 200,
    **overrides: Any,
) -> HttpResponse:
    """The answer of every workspace action, the core sidebar's and the apps' side panels' alike.
    HTMX: the listed regions as out-of-band swaps. Plain POST: redirect on success, the workspace page with
    the errors (``overrides`` carry the bound forms) on failure."""
    if request.htmx:
        ctx = workspace_context(request, ticket, **overrides)
        ctx.update({"regions": regions, "flash": flash, "flash_level": flash_level})
        return fragments.render_page(request, "tickets/partials/ws_update.html", ctx)
    if status == 200:
        if flash:
            getattr(messages, flash_level)(request, flash)
        return redirect(ticket)
    if flash:
        getattr(messages, flash_level)(request, flash)
    return fragments.render_page(
        request, "tickets/workspace.html", workspace_context(request, ticket, **overrides), status=status
    )


def _stale_regions(exc: TicketError) -> tuple[str, ...]:
    return ALL_REGIONS if isinstance(exc, StaleTicket) else ("sidebar",)


def refused(request: HtmxHttpRequest, number: int, exc: TicketError, **bound: Any) -> HttpResponse:
    """A workspace action the service refused: stale → the whole page again (409), anything else → the
    sidebar with the bound forms (``bound``: their typed values and errors) and the message (400)."""
    ticket = selectors.ticket_for(request.user, number)
    stale = isinstance(exc, StaleTicket)
    return respond(
        request,
        ticket,
        _stale_regions(exc),
        status=409 if stale else 400,
        flash=str(exc),
        flash_level="error",
        **({} if stale else bound),
    )


@login_required
def detail(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    if not is_staff_member(request.user):
        return portal.portal_detail(request, ticket)
    # No write on GET (issue #20 §1): the page's beacon posts to ``seen`` once it has loaded.
    return fragments.render_page(request, "tickets/workspace.html", workspace_context(request, ticket))


@staff_required
@require_GET
def history(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """Every event of the ticket (the workspace shows the newest): the list for the history's "Show all",
    or a page of its own without JavaScript."""
    ticket = _ticket(request, number)
    events = list(selectors.history(ticket))
    template = "tickets/partials/history_all.html" if request.htmx else "tickets/history.html"
    return render(request, template, {"ticket": ticket, "events": events})


@staff_required
@require_POST
def seen(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """The workspace's beacon: the agent's nudges about this ticket are read once its page is open, and
    the queues stop marking it new for them."""
    ticket = _ticket(request, number)
    agent_services.mark_notices_read(request.user, ticket)
    agent_services.mark_seen(request.user, ticket)
    return HttpResponse(status=204)


@login_required
@require_POST
def reply(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    if not is_staff_member(request.user):
        return portal.portal_reply(request, ticket)
    form = ReplyForm(request.POST)
    uploads = message_files.read(request)
    if form.is_valid() and not message_files.errors(uploads):
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the reply, its extensions and its files land together or not at all
                message = services.send_reply(
                    ticket,
                    request.user,
                    data["body"],
                    internal=data["internal"],
                    status=data["status"] or None,
                    hold_days=data["hold_days"],
                    expected_version=data["version"],
                    extras=request.POST,
                    fmt=MessageFormat.MARKDOWN,
                )
                message_files.finish(message, uploads, request.user)
                agent_services.delete_draft(request.user, ticket)
        except StaleTicket as exc:
            kept = message_files.context(message_files.keep(uploads, request.user))
            return _conflict(request, number, form, exc, data.get("seen_event") or 0, files_form=kept)
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            ticket = _after_change(request, number, ticket)
            return respond(
                request,
                ticket,
                ("reply", *ALL_REGIONS),
                flash="Internal note added." if data["internal"] else "Reply sent.",
            )
    files_form = message_files.context(message_files.keep(uploads, request.user))
    return respond(request, ticket, ("reply",), status=400, reply_form=form, files_form=files_form)


def _conflict(
    request: HtmxHttpRequest, number: int, form: ReplyForm, exc: StaleTicket, seen: int, **overrides: Any
) -> HttpResponse:
    """Someone else changed the ticket: keep the text, show what changed, arm the form to send anyway."""
    ticket = _fresh(request, number)
    changes = selectors.events_since(ticket, seen)
    data = form.data.copy()
    data["version"] = str(ticket.version)
    data["seen_event"] = str(selectors.last_event_id(ticket))
    kept = ReplyForm(data)
    kept.is_valid()
    kept.add_error(None, str(exc))
    return respond(
        request,
        ticket,
        ("reply", *ALL_REGIONS),
        status=409,
        reply_form=kept,
        changes=changes,
        conflict=True,
        **overrides,
    )


def _side_action(
    request: HtmxHttpRequest, number: int, form_cls: type, form_key: str, apply: Any
) -> HttpResponse:
    """Shared shape of the side-panel actions: validate, call the service, answer."""
    ticket = _ticket(request, number)
    form = form_cls(request.POST)
    if form.is_valid():
        try:
            flash = apply(ticket, form.cleaned_data)
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            ticket = _fresh(request, number)
            overrides = {} if isinstance(exc, StaleTicket) else {form_key: form}
            return respond(
                request,
                ticket,
                _stale_regions(exc),
                status=409 if isinstance(exc, StaleTicket) else 400,
                flash=str(exc),
                flash_level="error",
                **overrides,
            )
        ticket = _after_change(request, number, ticket)
        level = "warning" if flash.startswith("Warning") else "success"
        return respond(
            request,
            ticket,
            ("header", "sidebar", "history", "reply_meta", "conversation"),
            flash=flash,
            flash_level=level,
        )
    return respond(
        request,
        ticket,
        ("sidebar",),
        status=400,
        flash="Please correct the errors.",
        flash_level="error",
        **{form_key: form},
    )


@staff_required
@require_POST
def status(request: HtmxHttpRequest, number: int) -> HttpResponse:
    def apply(ticket: Ticket, data: dict[str, Any]) -> str:
        services.change_status(
            ticket,
            data["status"],
            by=request.user,
            note=data["note"],
            hold_days=data["hold_days"],
            expected_version=data["version"],
        )
        if data["status"] == "resolved":
            children = len(link_services.open_children(ticket))
            if children:
                return (
                    f"Status changed. This ticket has {children} open child ticket{pluralize(children)}: "
                    "reply to them and resolve them under “Linked tickets”."
                )
        return "Status changed."

    return _side_action(request, number, StatusForm, "status_form", apply)


@staff_required
@require_POST
def priority(request: HtmxHttpRequest, number: int) -> HttpResponse:
    def apply(ticket: Ticket, data: dict[str, Any]) -> str:
        before = ticket.priority
        agent_services.review_priority(
            ticket, request.user, data["priority"], expected_version=data["version"]
        )
        return "Priority changed." if data["priority"] != before else "Priority confirmed."

    return _side_action(request, number, PriorityForm, "priority_form", apply)


def _wip_flash(user: Any, base: str) -> str:

    owned = selectors.owned_unfinished(user).count()
    limit = params.get("wip_limit")
    if owned > limit:
        return (
            f"Warning: you now own {owned} tickets, more than {limit}. "
            "Speak to the Operations Lead if you have too many to manage."
        )
    return base


@staff_required
@require_POST
def assign(request: HtmxHttpRequest, number: int) -> HttpResponse:
    def apply(ticket: Ticket, data: dict[str, Any]) -> str:
        assignee = None
        if data["assignee"]:
            assignee = staff_users().filter(pk=data["assignee"]).first()
            if assignee is None:
                raise TicketError("Choose a member of staff.", field="assignee")
        services.update_ticket(ticket, request.user, expected_version=data["version"], assignee=assignee)
        if assignee is None:
            return "Ticket unassigned."
        return _wip_flash(assignee, f"Assigned to {display_name(assignee)}.")

    return _side_action(request, number, AssigneeForm, "assignee_form", apply)


@staff_required
@require_POST
def take(request: HtmxHttpRequest, number: int) -> HttpResponse:
    def apply(ticket: Ticket, data: dict[str, Any]) -> str:
        agent_services.take_approved(ticket, request.user, expected_version=data["version"])
        return _wip_flash(request.user, "You own this ticket now.")

    return _side_action(request, number, AssigneeForm, "assignee_form", apply)


@staff_required
@require_POST
def tags(request: HtmxHttpRequest, number: int) -> HttpResponse:
    def apply(ticket: Ticket, data: dict[str, Any]) -> str:
        services.set_tags(ticket, request.user, data["tags"])
        return "Tags saved."

    return _side_action(request, number, TagsForm, "tags_form", apply)


@staff_required
@require_POST
def follow(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ticket = _ticket(request, number)
    on = request.POST.get("follow") == "1"
    services.set_following(ticket, request.user, on)
    return respond(
        request,
        _fresh(request, number),
        ("sidebar", "history"),
        flash="You follow this ticket." if on else "You no longer follow this ticket.",
    )


@staff_required
@require_POST
def draft(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """Autosave of the reply box (HTMX, every pause in typing)."""
    ticket = _ticket(request, number)
    internal = request.POST.get("visibility") == Visibility.INTERNAL or request.POST.get("internal") == "on"
    try:
        saved = agent_services.save_draft(request.user, ticket, request.POST.get("body", ""), internal)
    except TicketError as exc:
        return render(request, "tickets/partials/draft_status.html", {"draft": None, "error": str(exc)})
    return render(request, "tickets/partials/draft_status.html", {"draft": saved})


@staff_required
@require_GET
def canned_text(request: HtmxHttpRequest, number: int, pk: int) -> HttpResponse:
    """A canned response with its placeholders filled for this ticket (text/plain, for agent.js)."""
    ticket = _ticket(request, number)
    found = CannedResponse.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise Http404("No such canned response.")
    return HttpResponse(
        canned.render(found.body, ticket, request.user), content_type="text/plain; charset=utf-8"
    )

"""The known-issue tracker (004): list, detail, edit, link tickets, status-page post, resolve with a
broadcast reply. Thin views: parse a form, call one service, redirect; invalid input re-renders with 400."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from escalation import selectors
from escalation.forms import (
    KnownIssueForm,
    LinkTicketForm,
    ResolveForm,
    StatusPostForm,
    error_field,
)
from escalation.models import KnownIssue, KnownIssueBroadcast
from escalation.services.known_issues import (
    DEFAULT_RESOLVED_TEXT,
    create_known_issue,
    link_ticket,
    resolve_known_issue,
    set_status_post,
    update_known_issue,
)
from helpdesk.http import HtmxHttpRequest
from helpdesk.permissions import MANAGER, has_role, role_required, staff_required
from tickets import selectors as ticket_selectors
from tickets.errors import TicketError
from tickets.models import Tier


@staff_required
def known_issues(
    request: HtmxHttpRequest, form: KnownIssueForm | None = None, status: int = 200
) -> HttpResponse:
    if request.method == "POST" and form is None:
        form = KnownIssueForm(request.POST)
        if form.is_valid():
            try:
                ki = create_known_issue(request.user, **form.cleaned_data)
            except TicketError as exc:
                form.add_error(error_field(exc, form), str(exc))
            else:
                messages.success(request, f"KI-{ki.number} created; its tag is {ki.tag_name}.")
                return redirect(ki)
        status = 400
    rows = selectors.tracker_rows()
    context = {
        "issues": rows,
        "suggestions": selectors.suggestions(rows),
        "form": form or KnownIssueForm(initial=_prefill(request)),
        "is_manager": has_role(request.user, MANAGER),
    }
    template = "escalation/partials/tracker_rows.html" if request.htmx else "escalation/known_issues.html"
    return render(request, template, context, status=status)


def _prefill(request: HtmxHttpRequest) -> dict:
    tag = request.GET.get("tag", "")
    return {"title": tag.replace("-", " ").capitalize(), "short_name": tag} if tag else {}


def _issue(number: int) -> KnownIssue:
    ki = selectors.known_issue_by_number(number)
    if ki is None:
        raise Http404(f"Known issue #{number} does not exist.")
    return ki


@staff_required
def known_issue(request: HtmxHttpRequest, number: int, status: int = 200, **forms) -> HttpResponse:
    ki = _issue(number)
    affected = selectors.affected_counts([ki]).get(ki.pk, 0)
    context = {
        "ki": ki,
        "affected": affected,
        "tickets": selectors.linked_tickets(ki)[:500],
        "is_manager": has_role(request.user, MANAGER),
        "broadcast": selectors.broadcast_for(ki),
        "edit_form": forms.get("edit_form")
        or KnownIssueForm(
            initial={
                "title": ki.title,
                "short_name": ki.short_name,
                "external_url": ki.external_url,
                "description": ki.description,
                "status": ki.status if ki.is_open else KnownIssue.Status.KNOWN,
            }
        ),
        "post_form": forms.get("post_form")
        or StatusPostForm(
            initial={
                "post": ki.status_post
                if ki.status_post != KnownIssue.Post.NONE
                else KnownIssue.Post.INVESTIGATING,
                "text": ki.status_post_text or ki.title,
            }
        ),
        "resolve_form": forms.get("resolve_form")
        or ResolveForm(
            initial={
                "send_reply": True,
                "reply": DEFAULT_RESOLVED_TEXT.format(title=ki.title),
                "set_status": "pending",
            }
        ),
        "link_form": forms.get("link_form") or LinkTicketForm(),
        "show_post_suggestion": ki.is_open
        and affected >= selectors.status_post_threshold()
        and ki.status_post == KnownIssue.Post.NONE,
    }
    if context["broadcast"]:
        context["delivery_counts"] = selectors.delivery_counts(context["broadcast"])
    return render(request, "escalation/known_issue.html", context, status=status)


@staff_required
@require_POST
def known_issue_edit(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ki = _issue(number)
    form = KnownIssueForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            update_known_issue(
                ki,
                request.user,
                title=d["title"],
                external_url=d["external_url"],
                description=d["description"],
                status=d["status"],
            )
        except TicketError as exc:
            form.add_error(error_field(exc, form), str(exc))
        else:
            messages.success(request, "Known issue updated.")
            return redirect(ki)
    return known_issue(request, number, status=400, edit_form=form)


@staff_required
@require_POST
def known_issue_link(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ki = _issue(number)
    form = LinkTicketForm(request.POST)
    if form.is_valid():
        try:
            ticket = ticket_selectors.ticket_for(request.user, form.cleaned_data["ticket"])
        except Http404:
            form.add_error("ticket", f"Ticket #{form.cleaned_data['ticket']} does not exist.")
        else:
            try:
                link_ticket(ticket, ki, request.user)
            except TicketError as exc:
                form.add_error("ticket", str(exc))
            else:
                messages.success(request, f"#{ticket.number} linked and tagged {ki.tag_name}.")
                return redirect(ki)
    return known_issue(request, number, status=400, link_form=form)


@role_required(MANAGER)
@require_POST
def known_issue_post(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ki = _issue(number)
    form = StatusPostForm(request.POST)
    if form.is_valid():
        try:
            set_status_post(ki, request.user, **form.cleaned_data)
        except TicketError as exc:
            form.add_error(error_field(exc, form), str(exc))
        else:
            messages.success(request, "Status page updated.")
            return redirect(ki)
    return known_issue(request, number, status=400, post_form=form)


def _replying(broadcast: KnownIssueBroadcast | None) -> str:
    if broadcast is None:
        return "."
    n = broadcast.deliveries.count()
    waiting = broadcast.deliveries.filter(ticket__tier=Tier.TRIAGE).count()
    if not waiting:
        return f"; replying to {n} tickets."
    return (
        f"; replying to {n - waiting} tickets. {waiting} still waiting for triage are skipped: "
        "answer them once they are triaged."
    )


# 004: the engineers who find the fix resolve it. Whoever resolves a posted issue words the status page's
# resolution (issue #15 item 13); publishing or changing a post stays with managers.
@staff_required
@require_POST
def known_issue_resolve(request: HtmxHttpRequest, number: int) -> HttpResponse:
    ki = _issue(number)
    form = ResolveForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if d["send_reply"] and not d["reply"].strip():
            form.add_error("reply", "Write the reply, or untick “Reply to every linked open ticket”.")
        else:
            try:
                broadcast = resolve_known_issue(
                    ki,
                    request.user,
                    reply=d["reply"] if d["send_reply"] else "",
                    set_status=d["set_status"],
                    post_text=d["post_text"],
                )
            except TicketError as exc:
                form.add_error(error_field(exc, form), str(exc))
            else:
                messages.success(request, f"KI-{ki.number} resolved" + _replying(broadcast))
                return redirect(ki)
    return known_issue(request, number, status=400, resolve_form=form)

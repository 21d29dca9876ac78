"""Staff screens of the knowledge base: the article list and editor (managers and the article's owner
edit; agents propose), version history, the proposals list, and "Propose doc" from a ticket."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from helpdesk.permissions import MANAGER, has_role, staff_required, visible_tickets
from tickets.errors import TicketError
from tickets.formatting import render_markdown
from tickets.models import Message, Visibility

from . import files, selectors, services
from .forms import ArticleForm, ProposalForm
from .models import Article, Proposal

PAGE = 50


@staff_required
def article_list(request: HttpRequest) -> HttpResponse:
    qs = Article.objects.select_related("category", "owner").order_by("-id")
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    q = request.GET.get("q", "").strip()[:200]
    if q:
        qs = qs.filter(title__icontains=q)
    rows = list(qs[: PAGE + 1])
    context = {
        "articles": rows[:PAGE],
        "next_before": rows[PAGE - 1].pk if len(rows) > PAGE else None,
        "q": q,
        "can_create": has_role(request.user, MANAGER),
    }
    return render(request, "knowledge/article_list.html", context)


def _initial_from_proposal(proposal: Proposal | None) -> dict:
    if proposal is None:
        return {}
    body = proposal.source_message.body if proposal.source_message_id else ""
    if not body and proposal.kind == Proposal.Kind.DOC_NEEDED:
        first = proposal.examples.order_by("id").first()
        body = first.body if first else ""
    audience = "internal" if proposal.kind == Proposal.Kind.INTERNAL_DOC else "public"
    return {"title": proposal.title, "body": body, "category": proposal.category_id, "audience": audience}


@staff_required
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk) if pk else None
    if not selectors.can_edit(request.user, article):
        raise PermissionDenied("Managers and the article's owner edit articles; propose a change instead.")
    proposal = None
    raw = request.POST.get("proposal") or request.GET.get("proposal") or ""
    if raw.isdigit():
        proposal = Proposal.objects.select_related("source_message").filter(pk=int(raw)).first()
    if article is not None:
        initial = {f: getattr(article, f) for f in ("title", "slug", "summary", "body", "audience", "status")}
        initial.update(
            category=article.category_id,
            owner=article.owner_id,
            version=article.version,
            last_reviewed_on=article.last_reviewed_on,
        )
    else:
        initial = {"owner": request.user.pk, "status": "draft", **_initial_from_proposal(proposal)}
    form = ArticleForm(request.POST or None, initial=initial)
    uploads = request.FILES.getlist("files") if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        for problem in files.problems(uploads, article) if uploads else []:
            form.add_error("files", problem)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.save_article(
                    request.user, form.cleaned_data, article=article, proposal=proposal
                )
                files.add_files(saved, uploads, request.user)
        except TicketError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Saved \u201c{saved.title}\u201d (version {saved.version}).")
            return redirect("knowledge:edit", pk=saved.pk)
    context = {
        "form": form,
        "article": article,
        "files": list(article.files.select_related("attachment")) if article else [],
        "proposal": proposal,
        "preview": render_markdown(form["body"].value() or "") if article or request.method == "POST" else "",
    }
    return render(request, "knowledge/article_form.html", context, status=400 if form.errors else 200)


@staff_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    versions = list(article.versions.select_related("edited_by").order_by("-number")[:200])
    return render(request, "knowledge/history.html", {"article": article, "versions": versions})


@staff_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    if state not in ("open", "done", "declined", "all"):
        state = "open"
    context = {
        "proposals": selectors.proposals(state),
        "state": state,
        "can_write": has_role(request.user, MANAGER),
    }
    return render(request, "knowledge/proposals.html", context)


@staff_required
@require_POST
def propose(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_object_or_404(visible_tickets(request.user), number=number)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a user doc or an internal doc.")
        return redirect(ticket)
    data = form.cleaned_data
    message = None
    if data.get("message"):
        message = Message.objects.filter(
            ticket=ticket, pk=data["message"], visibility=Visibility.PUBLIC
        ).first()
        if message is None:
            messages.error(request, "That answer is not on this ticket.")
            return redirect(ticket)
    try:
        proposal, created = services.propose(
            request.user,
            data["kind"],
            title=data.get("title", ""),
            note=data.get("note", ""),
            ticket=ticket,
            message=message,
            category=data.get("category"),
        )
    except TicketError as exc:
        messages.error(request, str(exc))
        return redirect(ticket)
    messages.success(request, "Doc proposed." if created else "That answer was already proposed.")
    return redirect(ticket)


@staff_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_role(request.user, MANAGER):
        raise PermissionDenied("Managers decide on proposals.")
    services.decline(get_object_or_404(Proposal, pk=pk), request.user)
    messages.success(request, "Proposal declined.")
    return redirect("knowledge:proposals")


@staff_required
def measures_view(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, MANAGER):
        raise PermissionDenied("The knowledge measures are for managers.")
    from .measures import measures

    raw = request.GET.get("days", "28")
    days = int(raw) if raw.isdigit() and 1 <= int(raw) <= 366 else 28
    return render(request, "knowledge/measures.html", {"m": measures(days)})


@staff_required
def measures_panel(request: HttpRequest) -> HttpResponse:
    """The reports dashboard's "Docs and satisfaction" panel (loaded by HTMX for its date range)."""
    if not has_role(request.user, MANAGER):
        raise PermissionDenied("The knowledge measures are for managers.")
    import datetime as dt

    from django.utils import timezone

    from .measures import between

    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        start, end = today - dt.timedelta(days=27), today
    if end < start or (end - start).days > 366:
        start, end = end - dt.timedelta(days=27), end
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    m = {"label": f"{start:%d %b} – {end:%d %b}", **between(since, until)}
    return render(request, "knowledge/partials/measures_panel.html", {"m": m})

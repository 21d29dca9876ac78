"""The public help centre (issue #18 §2): categories, article pages, search, "was this helpful?", and the
suggestions offered while a requester types a new request. Only public published articles are ever
shown to requesters and anonymous visitors; staff may open internal articles by their link."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.permissions import is_staff_member
from tickets.errors import TicketError
from tickets.formatting import render_markdown

from . import selectors, services
from .models import Category


def _voter(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return f"s{request.session.session_key}"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": selectors.categories_with_counts(),
        "recent": list(selectors.public_articles().order_by("-updated_at", "-id")[:10]),
    }
    return render(request, "knowledge/help_home.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    result = selectors.search(selectors.public_articles(), request.GET.get("q", ""))
    status = 200 if result.query else 400
    return render(request, "knowledge/help_search.html", {"result": result}, status=status)


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    cat = get_object_or_404(Category, slug=slug)
    articles = list(selectors.public_articles().filter(category=cat).order_by("title")[:500])
    return render(request, "knowledge/help_category.html", {"category": cat, "articles": articles})


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.article_for(request.user, slug)
    if found is None:
        raise Http404("No such article.")
    context = {
        "article": found,
        "body_html": render_markdown(found.body),
        "can_edit": selectors.can_edit(request.user, found),
        "is_staff": is_staff_member(request.user),
        "voted": request.GET.get("voted", ""),
        "files": list(found.files.select_related("attachment")),
    }
    if context["is_staff"]:
        context["missed"] = list(
            found.missed_reviews.select_related("ticket").order_by("-at")[:20]
        )  # "Missed Doc Review": escalations this article could have answered
        context["cited"] = found.citations.count()
    return render(request, "knowledge/help_article.html", context)


@require_POST
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.public_articles().filter(slug=slug).first()
    if found is None:
        raise Http404("No such article.")
    helpful = request.POST.get("helpful")
    if helpful not in ("yes", "no"):
        return render(
            request,
            "knowledge/partials/vote.html",
            {"article": found, "error": "Choose yes or no."},
            status=400,
        )
    services.vote(found, _voter(request), helpful == "yes")
    if request.htmx:
        return render(request, "knowledge/partials/vote.html", {"article": found, "voted": helpful})
    return redirect(f"{found.get_absolute_url()}?voted={helpful}")


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """While a requester types a new request: matching public articles (HTMX partial)."""
    text = f"{request.GET.get('subject', '')} {request.GET.get('body', '')}"[:3000]
    articles = selectors.suggest(selectors.public_articles(), text, limit=5)
    return render(
        request,
        "knowledge/partials/request_suggestions.html",
        {"articles": articles, "query": text.strip()[:300]},
    )


@login_required
@require_POST
def deflect(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.public_articles().filter(slug=slug).first()
    if found is None:
        raise Http404("No such article.")
    try:
        services.deflect(found, request.user, request.POST.get("query", ""))
    except TicketError as exc:
        return HttpResponse(str(exc), status=400)
    context = {"article": found}
    if request.htmx:
        return render(request, "knowledge/partials/deflected.html", context)
    return render(request, "knowledge/deflected.html", context)

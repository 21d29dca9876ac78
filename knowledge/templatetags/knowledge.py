from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from helpdesk.permissions import is_staff_member
from knowledge import selectors
from knowledge.forms import ProposalForm
from knowledge.models import Rating

register = template.Library()


def absolute(path: str) -> str:
    return f"{settings.HELPDESK_BASE_URL.rstrip('/')}{path}"


def insert_text(article: Any) -> str:
    """What "insert into reply" puts in: a short editable summary, then the link (004 "type out a
    paragraph pointing out the exact steps … and then also link to the doc")."""
    summary = article.summary or " ".join(article.body.split())[:240]
    link = absolute(article.get_absolute_url())
    return f"{summary}\n\nThe full steps are in our help article \u201c{article.title}\u201d: {link}"


@register.simple_tag
def suggested_docs(ticket: Any, user: Any) -> dict[str, Any]:
    if not is_staff_member(user):
        return {"articles": [], "answers": []}
    articles = selectors.suggested_for_ticket(ticket)
    for a in articles:
        a.insert_text = insert_text(a)
    public = ticket.messages.filter(visibility="public", author_user__isnull=False)
    answers = list(public.order_by("-created_at", "-id")[:5])
    return {"articles": articles, "answers": answers, "form": ProposalForm()}


@register.inclusion_tag("knowledge/partials/portal_rating.html", takes_context=True)
def rating_box(context: dict[str, Any], ticket: Any) -> dict[str, Any]:
    request = context.get("request")
    contact = getattr(getattr(request, "user", None), "contact", None)
    show = (
        contact is not None and ticket.requester_id == contact.pk and ticket.status in ("resolved", "closed")
    )
    rating = Rating.objects.filter(ticket=ticket, contact=contact).first() if show else None
    return {
        "show": show,
        "rating": rating,
        "ticket": ticket,
        "scores": Rating.Score.choices,
        "csrf_token": context.get("csrf_token"),
    }

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache

from helpdesk.permissions import is_staff_member
from knowledge import selectors
from knowledge.models import Article, ArticleStatus, Audience, Rating
from tickets.models import Visibility

register = template.Library()


def absolute(path: str) -> str:
    return f"{settings.HELPDESK_BASE_URL.rstrip('/')}{path}"


def insert_text(article: Any) -> str:
    """What "insert into reply" puts in: a short editable summary, then the link (004 "type out a
    paragraph pointing out the exact steps … and then also link to the doc")."""
    summary = article.summary or " ".join(article.body.split())[:240]
    link = absolute(article.get_absolute_url())
    return f"{summary}\n\nThe full steps are in our help article \u201c{article.title}\u201d: {link}"


SUGGEST_CACHE_SECONDS = 300


def _suggestions(ticket: Any, first: Any) -> list[dict[str, Any]]:
    """Ranked articles for the ticket's subject and first message; kept a few minutes per text (display
    only), so re-rendering the workspace costs no query."""
    text = f"{ticket.subject} {first.body[:2000] if first else ''}"
    key = "kb:suggest:" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
    found = cache.get(key)
    if found is None:
        published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
        found = [
            {
                "title": a.title,
                "url": a.get_absolute_url(),
                "audience": a.audience,
                "insert_text": insert_text(a) if a.audience == Audience.PUBLIC else "",
            }
            for a in selectors.suggest(published, text)
        ]
        cache.set(key, found, SUGGEST_CACHE_SECONDS)
    return found


@register.simple_tag
def suggested_docs(ticket: Any, user: Any, conversation: Any = None) -> dict[str, Any]:
    """The "Suggested docs" panel: ``conversation`` is the workspace's already-loaded message list."""
    if not is_staff_member(user):
        return {"articles": [], "answers": []}
    first, answers = _first_and_answers(ticket, conversation)
    return {"articles": _suggestions(ticket, first), "answers": answers}


def _first_and_answers(ticket: Any, conversation: Any) -> tuple[Any, list[Any]]:
    """The requester's first message and the newest five public staff answers, newest first: from the
    conversation when the page has read it, else two small queries (a conversation the workspace kept
    or only appended to is not read whole just for this panel)."""
    if conversation is not None and getattr(conversation, "_result_cache", None) is not None:
        messages = list(conversation)
        first = next((m for m in messages if m.author_contact_id), None)
        return first, [m for m in messages if not m.is_internal and m.author_user_id][-5:][::-1]
    messages = (conversation if conversation is not None else ticket.messages.all()).prefetch_related(None)
    first = messages.filter(author_contact__isnull=False).first()
    public = messages.filter(author_user__isnull=False, visibility=Visibility.PUBLIC)
    return first, list(public.order_by("-created_at", "-id")[:5])


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

"""Writes of the knowledge base: articles and their versions, proposals, citations, votes and
deflections. Ratings live in ``ratings.py``, the duplicate-answer job in ``duplicates.py``."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from tickets.errors import InvalidInput

from .models import (
    Article,
    ArticleStatus,
    ArticleVersion,
    Audience,
    Citation,
    Deflection,
    MissedDoc,
    Proposal,
    Vote,
)

# /help/articles/<slug>/ — relative or absolute, as the help centre and "insert into reply" write it.
ARTICLE_LINK = re.compile(r"/help/articles/([a-z0-9][a-z0-9-]{0,199})(?=[/?#\s)\]>\"']|$)")
MAX_BODY = 100_000


def linked_slugs(text: str) -> list[str]:
    found: list[str] = []
    for slug in ARTICLE_LINK.findall(text or ""):
        if slug not in found:
            found.append(slug)
    return found


def _unique_slug(title: str, wanted: str, article: Article | None) -> str:
    base = slugify(wanted or title)[:180] or "article"
    slug, n = base, 2
    others = Article.objects.exclude(pk=getattr(article, "pk", None))
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate(data: dict[str, Any]) -> dict[str, Any]:
    title = " ".join((data.get("title") or "").split())
    body = (data.get("body") or "").strip()
    if not title:
        raise InvalidInput("An article needs a title.", field="title")
    if not body:
        raise InvalidInput("An article needs a body.", field="body")
    if len(body) > MAX_BODY:
        raise InvalidInput(f"The body is too long (at most {MAX_BODY:,} characters).", field="body")
    audience = data.get("audience") or Audience.PUBLIC
    status = data.get("status") or ArticleStatus.DRAFT
    if audience not in Audience.values:
        raise InvalidInput("Choose who the article is for.", field="audience")
    if status not in ArticleStatus.values:
        raise InvalidInput("Choose draft or published.", field="status")
    return {
        **data,
        "title": title[:200],
        "body": body,
        "audience": audience,
        "status": status,
        "summary": (data.get("summary") or "").strip()[:500],
    }


def refresh_search_vector(pks: list[int]) -> None:
    """Title weighs most, then the summary, then the body (PostgreSQL only; elsewhere search scans)."""
    if connection.vendor != "postgresql" or not pks:
        return
    from django.contrib.postgres.search import SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
    Article.objects.filter(pk__in=pks).update(search_vector=vector)


def save_article(
    by: Any, data: dict[str, Any], *, article: Article | None = None, proposal: Proposal | None = None
) -> Article:
    """Create or update an article; every save is a new version. ``data``: title, slug, summary, body,
    category, audience, status, owner, last_reviewed_on, version (the one edited, for updates)."""
    clean = _validate(data)
    with transaction.atomic():
        if article is not None:
            article = Article.objects.select_for_update().get(pk=article.pk)
            expected = clean.get("version")
            if expected not in (None, "") and int(expected) != article.version:
                raise InvalidInput(
                    "Someone saved this article since you opened it. Your text is kept below; "
                    "reload the history to see their change.",
                    field=None,
                )
        slug = _unique_slug(clean["title"], clean.get("slug") or "", article)
        if slug in linked_slugs(clean["body"]):
            raise InvalidInput("An article cannot link to itself; link to another article.", field="body")
        target = article or Article()
        for name in ("title", "summary", "body", "audience", "status"):
            setattr(target, name, clean[name])
        target.slug = slug
        target.category = clean.get("category")
        target.owner = clean.get("owner") or target.owner or (by if getattr(by, "pk", None) else None)
        target.last_reviewed_on = clean.get("last_reviewed_on") or target.last_reviewed_on
        if article is None:
            target.save()
        else:
            target.version = F("version") + 1
            target.save()
            target.refresh_from_db(fields=["version"])
        ArticleVersion.objects.create(
            article=target,
            number=target.version,
            title=target.title,
            summary=target.summary,
            body=target.body,
            audience=target.audience,
            status=target.status,
            edited_by=by if getattr(by, "pk", None) else None,
        )
        refresh_search_vector([target.pk])
        if proposal is not None:
            Proposal.objects.filter(pk=proposal.pk).update(article=target, state=Proposal.State.DONE)
    return target


def mark_reviewed(article: Article, by: Any) -> None:
    Article.objects.filter(pk=article.pk).update(last_reviewed_on=timezone.localdate())


# --- proposals ----------------------------------------------------------------------------------------


def propose(
    by: Any,
    kind: str,
    *,
    title: str = "",
    note: str = "",
    ticket: Any = None,
    message: Any = None,
    category: Any = None,
) -> tuple[Proposal, bool]:
    """A Proposed User/Internal Doc from an answer (or a whole ticket). Proposing the same answer twice
    returns the first proposal (created=False)."""
    if kind not in (Proposal.Kind.USER_DOC, Proposal.Kind.INTERNAL_DOC):
        raise InvalidInput("Choose a user doc or an internal doc.", field="kind")
    if message is not None:
        ticket = ticket or message.ticket
    title = " ".join((title or "").split())[:200] or (
        f"From #{ticket.number}: {ticket.subject}"[:200] if ticket else ""
    )
    if not title:
        raise InvalidInput("Give the proposed doc a title.", field="title")
    lookup = (
        {"kind": kind, "source_message": message}
        if message is not None
        else {"kind": kind, "ticket": ticket, "source_message": None}
    )
    existing = (
        Proposal.objects.filter(**lookup).first() if (message is not None or ticket is not None) else None
    )
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            created = Proposal.objects.create(
                kind=kind,
                title=title,
                note=(note or "").strip(),
                ticket=ticket,
                source_message=message,
                category=category,
                proposed_by=by if getattr(by, "pk", None) else None,
                agent=getattr(message, "author_user", None) if message is not None else None,
            )
    except IntegrityError:  # a concurrent click
        return Proposal.objects.get(**lookup), False
    return created, True


def decline(proposal: Proposal, by: Any) -> None:
    Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.OPEN).update(state=Proposal.State.DECLINED)


# --- citations, missed docs ---------------------------------------------------------------------------


def record_citations(message: Any) -> int:
    """Link ``message`` to every existing article its text points at; returns how many were new."""
    slugs = linked_slugs(message.body)
    if not slugs:
        return 0
    ids = list(Article.objects.filter(slug__in=slugs).values_list("id", flat=True))
    rows = [Citation(message_id=message.pk, article_id=pk) for pk in ids]
    before = Citation.objects.filter(message_id=message.pk).count()
    Citation.objects.bulk_create(rows, ignore_conflicts=True)
    return Citation.objects.filter(message_id=message.pk).count() - before


def record_missed_doc(ticket: Any, url: str) -> MissedDoc | None:
    slugs = linked_slugs(url)
    article = Article.objects.filter(slug__in=slugs).first() if slugs else None
    if article is None:
        return None
    return MissedDoc.objects.get_or_create(ticket=ticket, article=article)[0]


# --- help centre: votes and deflections ---------------------------------------------------------------


def vote(article: Article, voter: str, helpful: bool) -> Vote:
    """One vote per voter per article; voting again changes it."""
    return Vote.objects.update_or_create(article=article, voter=voter[:64], defaults={"helpful": helpful})[0]


def deflect(article: Article, user: Any, query: str = "") -> tuple[Deflection, bool]:
    """ "This answered my question": counted once per person per article."""
    if not article.is_public:
        raise InvalidInput("That article is not available.")
    return Deflection.objects.get_or_create(
        article=article, user=user, defaults={"query": (query or "")[:300]}
    )

"""Reads of the knowledge base: what each person may see, help-centre search (PostgreSQL full-text with
ranking and trigram typo suggestions; elsewhere a plain ``icontains`` fallback with near spellings of title
words from ``difflib``), suggested docs for a ticket or a request being typed, proposals and the measures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from helpdesk.permissions import is_staff_member

from .models import Article, ArticleStatus, Audience, Category, Proposal

MAX_QUERY = 200  # characters searched; longer queries are cut with a notice
SUGGEST_WORDS = 12
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "but",
        "not",
        "you",
        "your",
        "with",
        "this",
        "that",
        "have",
        "has",
        "had",
        "was",
        "were",
        "can",
        "could",
        "would",
        "should",
        "will",
        "our",
        "out",
        "any",
        "all",
        "from",
        "into",
        "about",
        "there",
        "their",
        "they",
        "them",
        "then",
        "than",
        "what",
        "when",
        "where",
        "which",
        "who",
        "how",
        "why",
        "please",
        "thanks",
        "thank",
        "hello",
        "dear",
        "regards",
        "best",
        "kind",
        "just",
        "also",
        "get",
        "got",
        "does",
        "did",
        "done",
        "been",
        "being",
        "its",
        "yes",
        "need",
        "help",
        "issue",
        "problem",
        "some",
        "more",
        "very",
    ]
)


def public_articles() -> QuerySet[Article]:
    """Published public articles: the only ones a requester or an anonymous visitor can ever reach."""
    return Article.objects.filter(status=ArticleStatus.PUBLISHED, audience=Audience.PUBLIC)


def readable_articles(user: Any) -> QuerySet[Article]:
    """Staff read every published article (internal ones too); everyone else public ones only."""
    if is_staff_member(user):
        return Article.objects.filter(status=ArticleStatus.PUBLISHED)
    return public_articles()


def article_for(user: Any, slug: str) -> Article | None:
    """An article page: drafts for staff (preview), internal for staff, public for everyone."""
    qs = Article.objects.all() if is_staff_member(user) else public_articles()
    return qs.select_related("category", "owner").filter(slug=slug).first()


def categories_with_counts() -> list[Category]:
    from django.db.models import Count

    return list(
        Category.objects.annotate(
            n=Count(
                "articles",
                filter=Q(articles__status=ArticleStatus.PUBLISHED, articles__audience=Audience.PUBLIC),
            )
        ).filter(n__gt=0)
    )


@dataclass
class SearchResult:
    query: str = ""
    articles: list[Article] = field(default_factory=list)
    suggestions: list[Article] = field(default_factory=list)
    notice: str = ""


def _is_pg() -> bool:
    return connection.vendor == "postgresql"


def clean_query(raw: str) -> tuple[str, str]:
    """(query, notice): whitespace collapsed, cut to MAX_QUERY characters."""
    q = " ".join((raw or "").split())
    if not q:
        return "", "Type a few words to search the help centre."
    if len(q) > MAX_QUERY:
        return q[:MAX_QUERY], f"That was a long search: only its first {MAX_QUERY} characters were used."
    return q, ""


def search(qs: QuerySet[Article], raw: str, *, limit: int = 20) -> SearchResult:
    q, notice = clean_query(raw)
    result = SearchResult(query=q, notice=notice)
    if not q:
        return result
    if _is_pg():
        from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

        query = SearchQuery(q, config="english", search_type="websearch")
        exact = Case(When(title__iexact=q, then=Value(1)), default=Value(0), output_field=IntegerField())
        result.articles = list(
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query), exact=exact)
            .select_related("category")
            .order_by("-exact", "-rank", "id")[:limit]
        )
        if len(result.articles) < 3:  # few or no hits: offer near spellings (pg_trgm)
            found = {a.pk for a in result.articles}
            result.suggestions = [
                a
                for a in qs.filter(title__trigram_word_similar=q[:60])
                .annotate(sim=TrigramWordSimilarity(q[:60], "title"))
                .select_related("category")
                .order_by("-sim", "id")[:5]
                if a.pk not in found
            ]
        return result
    words = q.split()[:8]
    cond = Q()
    for word in words:
        cond &= Q(title__icontains=word) | Q(body__icontains=word)
    title_hit = Case(When(title__icontains=q, then=Value(1)), default=Value(0), output_field=IntegerField())
    result.articles = list(
        qs.filter(cond)
        .annotate(exact=title_hit)
        .select_related("category")
        .order_by("-exact", "title")[:limit]
    )
    if len(result.articles) < 3:  # few or no hits: near spellings of title words (no pg_trgm here)
        result.suggestions = _near_titles(qs, words, {a.pk for a in result.articles})
    return result


NEAR_TITLES_SCANNED = 2000  # the embedded default's help centre is small; a large one runs on PostgreSQL
NEAR_WORD = 0.75  # difflib's ratio a title word must reach against a query word ("exporrt" ~ "export")


def _near_titles(qs: QuerySet[Article], words: list[str], found: set[int]) -> list[Article]:
    """Without PostgreSQL: the articles whose title has a word close to a query word (``difflib``'s
    ``get_close_matches`` over the titles' words, which skips most of them on its quick bounds), best
    first, at most five."""
    from difflib import SequenceMatcher, get_close_matches

    titles = qs.values_list("pk", "title").order_by("id")[:NEAR_TITLES_SCANNED]
    words_of = {pk: set(re.findall(r"\w{3,}", title.lower())) for pk, title in titles if pk not in found}
    vocabulary = set().union(*words_of.values()) if words_of else set()
    close: dict[str, float] = {}
    for asked in (w.lower() for w in words if len(w) >= 3):
        for word in get_close_matches(asked, vocabulary, n=10, cutoff=NEAR_WORD):
            close[word] = max(close.get(word, 0.0), SequenceMatcher(None, asked, word).ratio())
    scored = sorted(
        (-max(close[w] for w in title_words & close.keys()), pk)
        for pk, title_words in words_of.items()
        if title_words & close.keys()
    )
    ids = [pk for _, pk in scored[:5]]
    articles = qs.filter(pk__in=ids).select_related("category").in_bulk()
    return [articles[pk] for pk in ids if pk in articles]


def keywords(text: str, limit: int = SUGGEST_WORDS) -> list[str]:
    """Distinct content words of a text, in order of first appearance (letters only: safe in a tsquery)."""
    seen: list[str] = []
    for word in re.findall(r"[a-z]{3,30}", (text or "").lower()):
        if word not in _STOP and word not in seen:
            seen.append(word)
            if len(seen) >= limit:
                break
    return seen


def suggest(qs: QuerySet[Article], text: str, *, limit: int = 5) -> list[Article]:
    """Articles ranked for a free text (a ticket, a request being typed): any of its words may match."""
    words = keywords(text)
    if not words:
        return []
    if _is_pg():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(" | ".join(words), config="english", search_type="raw")
        return list(
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "id")
            .only("id", "title", "slug", "summary", "audience", "body")[:limit]
        )
    cond = Q()
    for word in words[:6]:
        cond |= Q(title__icontains=word)
    return list(qs.filter(cond).order_by("title")[:limit])


def ticket_text(ticket: Any) -> str:
    first = ticket.messages.filter(author_contact__isnull=False).order_by("created_at", "id").first()
    return f"{ticket.subject} {first.body[:2000] if first else ''}"


def suggested_for_ticket(ticket: Any, *, limit: int = 5) -> list[Article]:
    return suggest(Article.objects.filter(status=ArticleStatus.PUBLISHED), ticket_text(ticket), limit=limit)


def open_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.filter(state=Proposal.State.OPEN)


def proposals(state: str = "open", limit: int = 200) -> list[Proposal]:
    qs = Proposal.objects.all() if state == "all" else Proposal.objects.filter(state=state)
    return list(
        qs.select_related("ticket", "agent", "proposed_by", "article", "category", "source_message")
        .prefetch_related("examples__ticket")
        .order_by("-created_at", "-id")[:limit]
    )


def can_edit(user: Any, article: Article | None) -> bool:
    from helpdesk.permissions import MANAGER, has_role

    if has_role(user, MANAGER):
        return True
    return article is not None and is_staff_member(user) and article.owner_id == user.pk

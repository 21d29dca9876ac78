"""Duplicate-answer detection (issue #18 §4, seed 004: "If you have written 3 duplicate answers (on
different tickets) that weren't references to a support doc, we need one … Bring this to the attention
of CS leadership, with the examples").

One pass over the window's public answers (one query, streamed): each answer becomes a set of hashed
word 3-shingles and a 16-value MinHash signature; locality-sensitive hashing (8 bands of 2, per agent)
proposes candidate pairs, which are confirmed by their exact Jaccard similarity; confirmed pairs are
joined into clusters. A cluster of one agent's answers on ``KNOWLEDGE_DUPLICATE_MIN_TICKETS`` or more
different tickets, none citing an article, becomes one "doc needed" proposal with the answers as
examples, and CS leadership is told once. Running again adds new look-alike answers to the same
proposal (matched through its examples) and tells nobody again."""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from helpdesk.permissions import MANAGER
from tickets import outbox
from tickets.models import Message, MessageKind, Visibility

from .models import Citation, Proposal

log = logging.getLogger(__name__)

SHINGLE = 3
MIN_WORDS = 12  # shorter answers ("Thanks, done!") are not worth a doc
HASHES = 16
ROWS = 2  # per band: 8 bands of 2 values
MAX_BUCKET = 400  # a bucket this crowded is boilerplate, not an answer
_MASK = (1 << 64) - 1
_SALTS = [
    random.Random(18 + i).getrandbits(64) for i in range(HASHES)
]  # fixed: stable per run and per process
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def shingles(text: str) -> frozenset[int]:
    lines = [line for line in (text or "").lower().splitlines() if not line.lstrip().startswith(">")]
    words = _WORD.findall(" ".join(lines))
    if len(words) < MIN_WORDS:
        return frozenset()
    return frozenset(
        hash((words[i], words[i + 1], words[i + 2])) & _MASK for i in range(len(words) - SHINGLE + 1)
    )


def signature(sh: frozenset[int]) -> tuple[int, ...]:
    return tuple(min([h ^ salt for h in sh]) for salt in _SALTS)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@dataclass
class Answer:
    id: int
    ticket_id: int
    agent_id: int
    shingles: frozenset[int]


def answers_since(since: dt.datetime) -> Iterable[Answer]:
    """The window's public answers by staff that cite no article (one streamed query)."""
    cited = Exists(Citation.objects.filter(message=OuterRef("pk")))
    rows = (
        Message.objects.filter(
            created_at__gte=since,
            visibility=Visibility.PUBLIC,
            kind=MessageKind.REPLY,
            author_user__isnull=False,
        )
        .exclude(cited)
        .values_list("id", "ticket_id", "author_user_id", "body")
        .order_by()
        .iterator(chunk_size=5000)
    )
    for pk, ticket_id, agent_id, body in rows:
        sh = shingles(body)
        if sh:
            yield Answer(pk, ticket_id, agent_id, sh)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def clusters(answers: Iterable[Answer], threshold: float, min_tickets: int) -> list[list[Answer]]:
    """Groups of one agent's near-duplicate answers spanning at least ``min_tickets`` tickets."""
    by_id: dict[int, Answer] = {}
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for a in answers:
        by_id[a.id] = a
        sig = signature(a.shingles)
        for band in range(0, HASHES, ROWS):
            buckets[(a.agent_id, band, sig[band : band + ROWS])].append(a.id)
    union = _Union()
    checked: set[tuple[int, int]] = set()
    for ids in buckets.values():
        if len(ids) < 2:
            continue
        if len(ids) > MAX_BUCKET:
            ids = ids[:MAX_BUCKET]
        for i, x in enumerate(ids):
            ax = by_id[x]
            for y in ids[i + 1 :]:
                pair = (x, y)
                if pair in checked:
                    continue
                checked.add(pair)
                if jaccard(ax.shingles, by_id[y].shingles) >= threshold:
                    union.join(x, y)
    groups: dict[int, list[Answer]] = defaultdict(list)
    for x in union.parent:
        groups[union.find(x)].append(by_id[x])
    found = [
        sorted(g, key=lambda a: a.id) for g in groups.values() if len({a.ticket_id for a in g}) >= min_tickets
    ]
    return sorted(found, key=lambda g: g[0].id)


def leadership() -> list[Any]:
    """CS leadership: the configured person, else every Manager."""
    User = get_user_model()
    name = getattr(settings, "KNOWLEDGE_LEADERSHIP", "")
    if name:
        found = list(User.objects.filter(username=name, is_active=True))
        if found:
            return found
        log.warning("KNOWLEDGE_LEADERSHIP=%r is not an active user; telling the Managers instead", name)
    return list(User.objects.filter(groups__name=MANAGER, is_active=True).distinct().order_by("id"))


def _notice(proposal: Proposal, examples: list[Message]) -> str:
    base = settings.HELPDESK_BASE_URL.rstrip("/")
    who = proposal.agent.get_full_name() or proposal.agent.get_username() if proposal.agent else "An agent"
    lines = [
        f"{who} wrote {len(examples)} near-identical answers on {_tickets(examples)} different tickets "
        "without linking a help article. A doc would answer these once:",
        "",
    ]
    lines += [
        f"  #{m.ticket.number}: {base}{m.ticket.get_absolute_url()}#message-{m.pk}" for m in examples[:10]
    ]
    lines += ["", f"Proposals: {base}{reverse('knowledge:proposals')}"]
    return "\n".join(lines)


def _tickets(examples: list[Message]) -> int:
    return len({m.ticket_id for m in examples})


def _title(first: Message) -> str:
    words = " ".join(first.body.split()[:10])
    return f"Doc needed: {words}"[:200]


def save_cluster(group: list[Answer], known: dict[int, int]) -> tuple[str, Proposal]:
    """Create the cluster's proposal (and tell leadership) or add new examples to the one it already has."""
    ids = [a.id for a in group]
    existing = sorted({known[i] for i in ids if i in known})
    with transaction.atomic():
        if existing:
            proposal = Proposal.objects.select_for_update().get(pk=existing[0])
            proposal.examples.add(*ids)
            return "grown", proposal
        examples = list(Message.objects.filter(pk__in=ids).select_related("ticket").order_by("id"))
        first = examples[0]
        proposal = Proposal.objects.create(
            kind=Proposal.Kind.DOC_NEEDED,
            title=_title(first),
            note=f"{len(examples)} look-alike answers on {_tickets(examples)} tickets, no article cited.",
            ticket=first.ticket,
            source_message=first,
            agent_id=group[0].agent_id,
        )
        proposal.examples.add(*ids)
        body = _notice(proposal, examples)
        for person in leadership():
            outbox.notify_user(
                None, person, "doc_needed", f"doc-needed:{proposal.pk}:{person.pk}", body, email=True
            )
    return "created", proposal


def run(now: dt.datetime | None = None, *, days: int | None = None) -> dict[str, int]:
    """The beat job. Idempotent: a second run finds the same clusters and changes nothing."""
    now = now or timezone.now()
    days = days or settings.KNOWLEDGE_DUPLICATE_DAYS
    threshold = float(settings.KNOWLEDGE_DUPLICATE_THRESHOLD)
    found = clusters(
        answers_since(now - dt.timedelta(days=days)), threshold, settings.KNOWLEDGE_DUPLICATE_MIN_TICKETS
    )
    all_ids = [a.id for g in found for a in g]
    through = Proposal.examples.through
    known = dict(
        through.objects.filter(proposal__kind=Proposal.Kind.DOC_NEEDED, message_id__in=all_ids).values_list(
            "message_id", "proposal_id"
        )
    )
    summary = {"clusters": len(found), "created": 0, "grown": 0, "unchanged": 0, "failed": 0}
    for group in found:
        if all(a.id in known for a in group):
            summary["unchanged"] += 1
            continue
        try:
            outcome, _ = save_cluster(group, known)
        except Exception:  # one bad cluster never stops the batch (logged, retried next run)
            log.exception("duplicate-answer cluster starting at message %s failed", group[0].id)
            summary["failed"] += 1
            continue
        summary[outcome] += 1
    return summary

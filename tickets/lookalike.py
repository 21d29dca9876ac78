"""Look-alike text, to spot patterns (004 "Patterns of failures or issues developing"): similar open
tickets in triage, known issues matching a ticket before it is escalated, groups of 3+ look-alike tickets.
Word overlap on significant words: cheap, explainable, and good enough for short subjects."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

K = TypeVar("K")

_WORD = re.compile(r"[a-z0-9]{4,}")
_STOP = {
    "with",
    "from",
    "that",
    "this",
    "have",
    "when",
    "what",
    "there",
    "your",
    "about",
    "please",
    "after",
    "cannot",
    "can't",
    "does",
    "into",
    "they",
    "been",
    "will",
    "would",
    "could",
    "should",
    "ticket",
    "issue",
    "problem",
    "help",
    "need",
    "working",
    "still",
}


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall((text or "").lower()) if w not in _STOP)


def likeness(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard score when the two look alike (2+ shared words, or half their words), else 0."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    score = common / len(a | b)
    return score if common >= 2 or (common and score >= 0.5) else 0.0


def most_alike(text: str, candidates: Iterable[tuple[K, frozenset[str]]], limit: int = 3) -> list[K]:
    """The keys of the candidates most like ``text``, best first."""
    mine = words(text)
    scored = [(likeness(mine, theirs), i, key) for i, (key, theirs) in enumerate(candidates)]
    return [
        key for score, _i, key in sorted((s for s in scored if s[0]), key=lambda s: (-s[0], s[1]))[:limit]
    ]


def groups(items: list[tuple[K, frozenset[str]]], minimum: int = 3) -> list[list[K]]:
    """Groups of at least ``minimum`` look-alike items (each item in one group, greedy, biggest first)."""
    taken: set[int] = set()
    found: list[list[K]] = []
    for i, (_key, mine) in enumerate(items):
        if i in taken:
            continue
        members = [
            j for j, (_k, theirs) in enumerate(items) if j not in taken and (j == i or likeness(mine, theirs))
        ]
        if len(members) >= minimum:
            taken.update(members)
            found.append([items[j][0] for j in members])
    return sorted(found, key=len, reverse=True)

"""Benchmark of the knowledge base (issue #18 "Performance"). PostgreSQL only; not part of the tests.

    .venv/bin/python bench/kb_bench.py                          # 10,000 articles, 50,000 answers
    .venv/bin/python bench/kb_bench.py --articles 10000 --answers 50000 --repeat 200

Uses its own database (default postgres://postgres:postgres@127.0.0.1:5432/helpdesk_kb_bench, created,
migrated and seeded when missing; reused on the next run). No Redis: the local-memory cache.

* ``search``  — help-centre search for 1–3 word queries (a fifth of them misspelt, which adds the
  trigram "did you mean" query): the selector, and the whole ``/help/search/`` page. Goal p95 ≤ 30 ms.
* ``suggest`` — "Suggested docs" for a ticket's subject and first message (60–80 words). Goal ≤ 20 ms.
* ``dupes``   — the duplicate-answer job over a week of ``--answers`` public answers by 40 agents, 2% of
  them in look-alike clusters. Goal < 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/helpdesk_kb_bench"
TOPICS = [
    "calendar",
    "sync",
    "password",
    "reset",
    "invoice",
    "billing",
    "export",
    "import",
    "printer",
    "network",
    "vpn",
    "email",
    "bounce",
    "login",
    "sso",
    "token",
    "report",
    "dashboard",
    "permission",
    "role",
    "upload",
    "attachment",
    "mobile",
    "app",
    "notification",
    "webhook",
    "integration",
    "api",
    "backup",
    "restore",
    "timezone",
    "language",
    "signature",
    "template",
    "workflow",
]


def setup(url: str) -> None:
    from bench.common import ensure_database

    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    os.environ["DEBUG"] = "0"
    os.environ.pop("REDIS_URL", None)
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    call_command("migrate", verbosity=0)


def vocabulary(rng: random.Random, n: int = 4000) -> list[str]:
    letters = "abcdefghijklmnoprstuvwy"
    return TOPICS + ["".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(n)]


def text(rng: random.Random, vocab: list[str], words: int) -> str:
    return " ".join(rng.choice(vocab) if rng.random() > 0.15 else rng.choice(TOPICS) for _ in range(words))


def seed_articles(count: int, rng: random.Random, vocab: list[str]) -> None:
    from knowledge.models import Article, Category
    from knowledge.services import refresh_search_vector

    if Article.objects.count() == count:
        print(f"reusing {count:,} articles")
        return
    Article.objects.all().delete()
    started = time.monotonic()
    cats = [Category.objects.get_or_create(slug=t, defaults={"name": t.title()})[0] for t in TOPICS[:10]]
    rows = [
        Article(
            title=f"{rng.choice(TOPICS).title()} {text(rng, vocab, rng.randint(2, 6))}"[:200],
            slug=f"bench-{i}",
            summary=text(rng, vocab, 20),
            body=text(rng, vocab, rng.randint(150, 400)),
            category=rng.choice(cats),
            audience="public" if i % 5 else "internal",
            status="published" if i % 20 else "draft",
        )
        for i in range(count)
    ]
    Article.objects.bulk_create(rows, batch_size=1000)
    refresh_search_vector(list(Article.objects.values_list("id", flat=True)))
    print(f"seeded {count:,} articles in {time.monotonic() - started:.1f} s")


def seed_answers(count: int, rng: random.Random, vocab: list[str]) -> None:
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM tickets_message WHERE kind = 'reply' AND author_user_id IS NOT NULL"
        )
        if cur.fetchone()[0] == count:
            print(f"reusing {count:,} answers")
            return
    started = time.monotonic()
    from django.contrib.auth import get_user_model

    from knowledge.models import Proposal
    from tickets.models import Contact, Organization

    User = get_user_model()
    agents = [User.objects.get_or_create(username=f"kbagent{i}")[0].pk for i in range(40)]
    org = Organization.objects.get_or_create(name="KB bench")[0]
    contact = Contact.objects.get_or_create(
        email="kb-bench@client.example", defaults={"name": "Bench", "organization": org}
    )[0]
    templates = [text(rng, vocab, 60) for _ in range(count // 150)]  # each reused ~3 times: 2% in clusters
    with transaction.atomic(), connection.cursor() as cur:
        Proposal.objects.all().delete()
        cur.execute("TRUNCATE tickets_ticket, tickets_message, tickets_notification RESTART IDENTITY CASCADE")
        cur.execute(f"""
            INSERT INTO tickets_ticket (number, subject, status, priority, kind, tier, triage_decision,
                chargeable, notify_product, created_at, updated_at, next_action, reminders_sent, sla_band,
                commitment_missed, version, requester_id, organization_id)
            SELECT g, 'Bench ticket ' || g, 'resolved', 'normal', 'question', 't1', '', false, false,
                   now() - interval '2 days', now(), '', 0, '', false, 1, {contact.pk}, {org.pk}
            FROM generate_series(1, {count}) g""")
        rows = []
        for i in range(count):
            if i % 50 == 0:  # 2%: a look-alike of a template, by that template's agent
                t = (i // 50) % len(templates)
                body, agent = f"Hi {rng.choice(vocab)}, {templates[t]} {rng.choice(vocab)}", agents[t % 40]
            else:
                body, agent = text(rng, vocab, rng.randint(30, 90)), rng.choice(agents)
            rows.append((i + 1, agent, body))
        cur.executemany(
            "INSERT INTO tickets_message (ticket_id, author_user_id, visibility, kind, body, created_at, "
            "format, body_html, email_message_id) "
            "VALUES (%s, %s, 'public', 'reply', %s, now() - interval '1 day', 'markdown', '', '')",
            rows,
        )
    print(f"seeded {count:,} answers in {time.monotonic() - started:.1f} s")


def timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(name: str, ms: list[float], goal: float | None = None) -> None:
    ms = sorted(ms)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    line = f"{name:<28} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   n={len(ms)}"
    print(line + (f"   goal ≤ {goal:g} ms {'OK' if p95 <= goal else 'MISSED'}" if goal else ""))


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word))
    return word[:i] + word[i + 1 :]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--only", choices=["search", "suggest", "dupes"], nargs="*")
    args = parser.parse_args()
    setup(args.database_url)
    rng = random.Random(18)
    vocab = vocabulary(rng)
    seed_articles(args.articles, rng, vocab)
    only = set(args.only or ["search", "suggest", "dupes"])
    from django.test import Client

    from knowledge import duplicates, selectors
    from knowledge.models import Article

    queries = []
    for i in range(args.repeat):
        words = [rng.choice(TOPICS if rng.random() < 0.5 else vocab) for _ in range(rng.randint(1, 3))]
        queries.append(typo(rng, words[0]) if i % 5 == 0 else " ".join(words))
    if "search" in only:
        public = selectors.public_articles
        timed(lambda q: selectors.search(public(), q), [(q,) for q in queries[:20]])  # warm up
        report(
            "search (selector)", timed(lambda q: selectors.search(public(), q), [(q,) for q in queries]), 30
        )
        client = Client()
        report(
            "search (/help/search/ page)",
            timed(lambda q: client.get("/help/search/", {"q": q}), [(q,) for q in queries]),
            30,
        )
    if "suggest" in only:
        texts = [
            (f"{rng.choice(TOPICS)} {text(rng, vocab, 6)} {text(rng, vocab, rng.randint(60, 80))}",)
            for _ in range(args.repeat)
        ]
        published = Article.objects.filter(status="published")
        timed(lambda t: selectors.suggest(published, t), texts[:20])
        report("suggested docs", timed(lambda t: selectors.suggest(published, t), texts), 20)
    if "dupes" in only:
        seed_answers(args.answers, rng, vocab)
        for run in (1, 2):
            t = time.perf_counter()
            summary = duplicates.run()
            print(f"duplicate job run {run}: {time.perf_counter() - t:6.1f} s  {summary}")


if __name__ == "__main__":
    main()

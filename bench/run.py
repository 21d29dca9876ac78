"""Benchmark of the agent screens against bare raw-SQL floors (issue #3 §6).

    .venv/bin/python bench/run.py                    # 100,000 tickets (seeded once, reused)
    .venv/bin/python bench/run.py --tickets 1000000  # the 1M run
    .venv/bin/python bench/run.py --reseed           # force a fresh seed

Uses its own database (default postgres://postgres:postgres@127.0.0.1:5432/helpdesk_screens_bench,
override with --database-url). Prints, per screen: median and p95 server time, SQL queries per request,
the floor's median and the ratio screen/floor."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import setup_django  # noqa: E402


def timed(client, url: str, n: int, before=None) -> list[float]:
    out = []
    for _ in range(n):
        if before is not None:
            before()
        start = time.perf_counter()
        r = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=3, help="messages per ticket")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per screen")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--database-url", default="postgres://postgres:postgres@127.0.0.1:5432/helpdesk_screens_bench"
    )
    args = parser.parse_args()

    setup_django(args.database_url)
    from django.db import connection
    from django.db.models import F
    from django.test import Client
    from django.test.utils import override_settings

    from bench.seed_bench import BENCH_AGENT, seed
    from tickets.models import Status, Ticket
    from tickets.queues import encode_cursor

    have = Ticket.objects.count()
    if args.reseed or have != args.tickets:
        print(f"seeding {args.tickets:,} tickets × {args.messages} messages (had {have:,}) …")
        seed(args.tickets, args.messages)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=BENCH_AGENT)
    unfinished = Ticket.objects.filter(
        status__in=[Status.OPEN, Status.REVIEW, Status.PENDING, Status.WAITING, Status.HOLD]
    )
    ids = list(unfinished.order_by("-id").values_list("id", flat=True)[:100_000])
    deep_id = ids[len(ids) * 3 // 4]
    deep = Ticket(id=deep_id)
    cursor = encode_cursor("newest", deep)
    t1_ids = list(unfinished.filter(tier="t1").order_by("-id").values_list("id", flat=True)[:20_000])
    t1_deep_id = t1_ids[len(t1_ids) * 3 // 4] if t1_ids else deep_id
    t1_cursor = encode_cursor("newest", Ticket(id=t1_deep_id))
    ticket = Ticket.objects.filter(status=Status.OPEN).order_by("-id").first()
    big = long_ticket(Ticket.objects.filter(status=Status.OPEN).order_by("-id")[1], user)
    from tickets import fragments

    def miss(pk: int = big.pk) -> None:  # the worst case: every fragment rendered afresh
        fragments.changed([pk])

    def status_changed(pk: int = big.pk) -> None:  # what a status change retires (version, an event)
        Ticket.objects.filter(pk=pk).update(version=F("version") + 1)
        fragments.events_written([pk])

    def replied(pk: int = big.pk) -> None:  # a reply: that, and the conversation's messages
        status_changed(pk)
        fragments.messages_written([pk])

    q = "printer timeout"
    screens = [
        ("queue T1, first page", "/queues/t1/", "queue", {}),
        (
            "queue T1, filtered (high, by update)",
            "/queues/t1/?priority=high&sort=updated",
            "queue_filtered",
            {},
        ),
        (
            "queue T1, deep keyset page",
            f"/queues/t1/?sort=newest&after={t1_cursor}",
            "queue_deep_t1",
            {"after": t1_deep_id},
        ),
        (
            "All open, deep keyset page",
            f"/queues/all/?sort=newest&after={cursor}",
            "queue_deep",
            {"after": deep_id},
        ),
        ("All open, full-text search", f"/queues/all/?q={q.replace(' ', '+')}", "search", {"q": q}),
        ("My work", "/", "my_work", {}),
        ("workspace", f"/tickets/{ticket.number}/", "workspace", {"number": ticket.number}),
        ("workspace, 50 messages + 10 files", f"/tickets/{big.number}/", "workspace", {"number": big.number}),
        (
            "workspace, 50 messages, changed",
            f"/tickets/{big.number}/",
            "workspace",
            {"number": big.number},
            miss,
        ),
        (
            "workspace, 50 msgs, after a reply",
            f"/tickets/{big.number}/",
            "workspace",
            {"number": big.number},
            replied,
        ),
        (
            "workspace, 50 msgs, after a status move",
            f"/tickets/{big.number}/",
            "workspace",
            {"number": big.number},
            status_changed,
        ),
        ("API list (tier=t1)", "/api/tickets/?tier=t1", "api_list", {}),
    ]
    client = Client()
    client.force_login(user)
    print(
        f"\n{Ticket.objects.count():,} tickets; {args.requests} requests per screen after 3 warm-ups "
        f"(DEBUG off, PostgreSQL {connection.pg_version // 10000})\n"
    )
    # floor: the same connection's prepared statements; planned: the floor planned on every run, as
    # measured before statements were prepared (PostgreSQL spent 1–3 ms planning these joins).
    header = (
        f"{'screen':40} {'median':>8} {'p95':>8} {'queries':>7} {'floor':>8} {'ratio':>6}"
        f" {'planned':>8} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    with override_settings(ROOT_URLCONF="bench.urls"):
        for label, url, floor, params, *before in screens:
            from urllib.parse import urlencode

            floor_url = f"/bench-floor/{floor}/?{urlencode(params)}"
            planned_url = f"/bench-floor/{floor}/?{urlencode({**params, 'planned': 1})}"
            timed(client, url, 3)
            timed(client, floor_url, 3)
            timed(client, planned_url, 3)
            executed: list[str] = []
            for hook in before:
                hook()
            with connection.execute_wrapper(
                lambda execute, sql, *a, executed=executed: (executed.append(sql), execute(sql, *a))[1]
            ):
                client.get(url)
            times = sorted(timed(client, url, args.requests, *before))
            ftimes = sorted(timed(client, floor_url, args.requests))
            ptimes = sorted(timed(client, planned_url, args.requests))
            med, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
            fmed, pmed = statistics.median(ftimes), statistics.median(ptimes)
            print(
                f"{label:40} {med:7.1f}ms {p95:7.1f}ms {len(executed):7d} {fmed:7.1f}ms {med / fmed:5.1f}×"
                f" {pmed:7.1f}ms {med / pmed:5.1f}×"
            )


def long_ticket(ticket, agent, messages: int = 50, files: int = 10):
    """Issue #20 §1's case: a ticket with 50 messages (every fifth an internal note), 10 of them with a
    file. Added once; a rerun finds them."""
    from attachments.models import Attachment
    from tickets.models import Message, Visibility

    have = ticket.messages.count()
    if have < messages:
        Message.objects.bulk_create(
            Message(
                ticket=ticket,
                author_user=agent if i % 2 else None,
                author_contact=None if i % 2 else ticket.requester,
                visibility=Visibility.INTERNAL if i % 5 == 4 else Visibility.PUBLIC,
                body=f"Message {i}: the sync still fails after the update.\n\n> earlier text quoted\n> more",
            )
            for i in range(have, messages)
        )
    if not Attachment.objects.filter(message__ticket=ticket).exists():
        Attachment.objects.bulk_create(
            Attachment(
                message=m,
                file=f"bench/{m.pk}.log",
                original_name=f"sync-{m.pk}.log",
                size=2048,
                sha256="0" * 64,
            )
            for m in ticket.messages.order_by("id")[:files]
        )
    return ticket


if __name__ == "__main__":
    main()

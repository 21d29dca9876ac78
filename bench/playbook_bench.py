"""Benchmark of the Playbook screen (issue #19): this week's figures and the whole page at up to 1M tickets.

    .venv/bin/python bench/playbook_bench.py                     # 100,000 tickets
    .venv/bin/python bench/playbook_bench.py --tickets 1000000   # the 1M run (goal: page p95 <= 300 ms)

Own database (default postgres://postgres:postgres@127.0.0.1:5432/helpdesk_playbook_bench), seeded by the
dashboard bench's generator (tickets spread over two years, ~9 % of recent ones unfinished, 3 SLA clocks
each), plus one playbook event per ticket — every verb the screen counts — two hours after it was
opened, so this week holds the events of this week's tickets. A seed is reused when the ticket count
matches (--reseed forces a new one). The cache is the process-local memory cache (the figures are not
cached; only the tuned parameters are). Prints median / p95 ms and the ratio to GET /healthz.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import common  # noqa: E402

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/helpdesk_playbook_bench"


def seed_events() -> None:
    from django.db import connection, transaction

    from playbook.selectors import COUNTED_VERBS

    verbs = [*COUNTED_VERBS, "status_changed", "sla_band_changed", "commitment_settled", "tag_added"]
    arr = "ARRAY[" + ",".join(f"'{v}'" for v in verbs) + "]"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO tickets_ticketevent (ticket_id, actor_id, verb, data, at)
            SELECT id, NULL::integer, v,
                   CASE v WHEN 'status_changed' THEN jsonb_build_object('old', 'pending', 'new', 'resolved')
                          WHEN 'sla_band_changed' THEN jsonb_build_object('old', 'green', 'new', 'red')
                          WHEN 'commitment_settled' THEN jsonb_build_object('on_time', id % 3 > 0)
                          WHEN 'escalated' THEN jsonb_build_object('transition_comment', id % 4 > 0)
                          WHEN 'tag_added' THEN jsonb_build_object('tag', 'debug-improvements')
                          ELSE '{{}}'::jsonb END,
                   created_at + interval '2 hours'
            FROM (SELECT id, created_at, ({arr})[1 + id % {len(verbs)}] AS v FROM tickets_ticket) t""")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE tickets_ticketevent")


def timed(fn, repeat: int) -> list[float]:
    fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, samples: list[float], floor: float) -> str:
    med = statistics.median(samples)
    p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
    return f"{name:<34} {med:9.1f} {p95:9.1f} {med / floor:9.1f}x"


def measure(repeat: int) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from playbook import selectors, yamlio

    client = Client()
    client.force_login(get_user_model().objects.get(username="rb_manager"))

    def get(url: str):
        def run() -> None:
            assert client.get(url).status_code == 200, url

        return run

    floor = statistics.median(timed(get("/healthz"), repeat))
    seen: list[str] = []

    def count(execute, sql, params, many, context):  # request_started resets connection.queries
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get("/playbook/")()
    fig = selectors.week_figures()
    lines = [
        f"{'what':<34} {'median':>9} {'p95':>9} {'ratio':>10}   (floor: GET /healthz {floor:.2f} ms)",
        report("week_figures()", timed(selectors.week_figures, repeat), floor),
        report("GET /playbook/", timed(get("/playbook/"), repeat), floor),
        report("GET /playbook/export.yaml", timed(get("/playbook/export.yaml"), repeat), floor),
        report("plan_import(export)", timed(lambda: yamlio.plan_import(yamlio.export_yaml()), repeat), floor),
        f"queries per /playbook/ page: {len(seen)}; events this week counted: "
        f"{sum(v for k, v in fig.counts.items() if k in selectors.COUNTED_VERBS)}",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()

    common._reachable = lambda host, port: False  # never the shared Redis: a local-memory cache
    common.setup_django(args.database_url)
    from django.db import connection

    from bench.dashboard_bench import seed

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM tickets_ticket")
        have = cur.fetchone()[0]
    if args.reseed or have != args.tickets:
        print(f"seeding {args.tickets} tickets …")
        seed(args.tickets)
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM tickets_ticketevent WHERE verb = 'reopened_for_team' LIMIT 1")
        if cur.fetchone() is None:
            print("seeding the playbook events …")
            seed_events()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM tickets_ticketevent")
        events = cur.fetchone()[0]
    print(f"\n== {args.tickets:,} tickets, {events:,} events ==")
    print("\n".join(measure(args.repeat)))


if __name__ == "__main__":
    main()

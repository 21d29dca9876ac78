"""Benchmark of the manager views (issue #7): every dashboard query and the whole pages, against floors.

    .venv/bin/python bench/dashboard_bench.py                     # 100,000 tickets, 300,000 SLA clocks
    .venv/bin/python bench/dashboard_bench.py --tickets 1000000   # the 1M / 3M run
    .venv/bin/python bench/dashboard_bench.py --without-indexes   # also measure without the dashboard
                                                                  # indexes (dropped, then rebuilt)
The default measures the shipped schema: every index the migrations create (one dropped by an older
run of this bench is rebuilt first).
Own database (default postgres://postgres:postgres@127.0.0.1:5432/helpdesk_reports_bench). Rows are made
inside PostgreSQL with INSERT … SELECT generate_series (no per-row Python); a seed is reused when the
ticket count matches (--reseed forces a new one). Floors: a primary-key lookup for a query, and GET
/healthz through the full middleware stack for a page. Prints median / p95 ms and ratio to the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/helpdesk_reports_bench"
UNFINISHED = "('open','review','pending','waiting','hold')"
# The dashboard indexes (requested in README_dashboard.md, shipped in tickets/0007_dashboard_indexes and
# sla/0005_clock_trend_index): the default run checks they exist; --without-indexes measures without them.
SHIPPED_INDEXES = {
    # Covers every column the "open now" panels read, so bands/age/commitments/agent load are index-only
    # scans of the few unfinished rows (id is included because COUNT("id") needs it).
    "ticket_unfinished_stats": "tickets_ticket (tier, sla_band) INCLUDE (id, status, created_at, "
    "commitment_missed, assignee_id, updated_at, priority, organization_id, team_id) "
    f"WHERE status IN {UNFINISHED}",
    "ticket_created_times": "tickets_ticket (created_at) INCLUDE (priority, first_response_at, resolved_at)",
    "slaclock_stopped_band": (
        "sla_slaclock (stopped_at) INCLUDE (tier, final_band) WHERE stopped_at IS NOT NULL"
    ),
}


def _filler(cur: Any, table: str, given: list[str]) -> tuple[list[str], list[str]]:
    """NOT NULL columns without a default that the seed does not set (added by other apps' migrations)
    get a neutral value, so the bench survives schema changes."""
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL",
        [table],
    )
    neutral = {
        "boolean": "false",
        "jsonb": "'{}'::jsonb",
        "text": "''",
        "character varying": "''",
        "timestamp with time zone": "now()",
    }
    cols, vals = [], []
    for name, dtype in cur.fetchall():
        if name not in given and name != "id":
            cols.append(name)
            vals.append(neutral.get(dtype, "0"))
    return cols, vals


def seed(n: int, log: Callable[[str], None] = print) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    started = time.monotonic()
    User = get_user_model()
    agents = []
    for i in range(20):
        user, _ = User.objects.get_or_create(username=f"rb_agent{i}", defaults={"first_name": f"Agent{i}"})
        user.groups.add(Group.objects.get_or_create(name="Agent")[0])
        agents.append(user.pk)
    manager, created = User.objects.get_or_create(username="rb_manager")
    if created:
        manager.set_password("bench")
        manager.save()
    manager.groups.add(Group.objects.get_or_create(name="Manager")[0])
    span = 730 * 86400 / n  # tickets spread over two years, newest now
    arr = "ARRAY[" + ",".join(map(str, agents)) + "]"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute(
            "TRUNCATE tickets_ticket, tickets_ticketevent, tickets_ticket_tags, sla_slaclock "
            "RESTART IDENTITY CASCADE"
        )
        cur.execute("DELETE FROM tickets_contact WHERE email LIKE 'rb%%@client.example'")
        cur.execute("DELETE FROM tickets_organization WHERE name LIKE 'RB client %%'")
        cur.execute(
            "INSERT INTO tickets_organization (name, email_domains, send_acknowledgements) "
            "SELECT 'RB client ' || g, '', true FROM generate_series(1, 500) g"
        )
        cur.execute("SELECT min(id) FROM tickets_organization WHERE name LIKE 'RB client %%'")
        org0 = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO tickets_contact (name, email, organization_id, is_authorised) "
            f"SELECT 'C' || g, 'rb' || g || '@client.example', {org0} + g % 500, false "
            "FROM generate_series(0, 4999) g"
        )
        cur.execute("SELECT min(id) FROM tickets_contact WHERE email LIKE 'rb%%@client.example'")
        c0 = cur.fetchone()[0]
        given = [
            "number",
            "subject",
            "requester_id",
            "organization_id",
            "status",
            "priority",
            "kind",
            "tier",
            "assignee_id",
            "created_at",
            "updated_at",
            "first_response_at",
            "resolved_at",
            "sla_band",
            "commitment_missed",
            "commitment_due_at",
        ]
        extra_cols, extra_vals = _filler(cur, "tickets_ticket", given)
        # ~9% of recent (30 days) and ~0.9% of older tickets are unfinished — a realistic-to-heavy backlog.
        status = (
            "CASE WHEN NOT (age < interval '30 days' OR g % 10 = 0) OR b >= 9 THEN "
            "(CASE WHEN b % 2 = 0 THEN 'closed' ELSE 'resolved' END) WHEN b < 4 THEN 'open' "
            "WHEN b < 6 THEN 'pending' WHEN b < 7 THEN 'waiting' WHEN b < 8 THEN 'review' ELSE 'hold' END"
        )
        cur.execute(f"""
            INSERT INTO tickets_ticket ({", ".join(given + extra_cols)})
            SELECT g, (ARRAY['Calendar not syncing','Payment failed','Login broken','Invoice wrong',
                             'Export slow','Widget shows wrong price','Email not sent'])[1 + g % 7]
                       || ' ' || (g % 997),
                   {c0} + g % 5000, {org0} + (g % 5000) % 500, st,
                   (ARRAY['low','normal','normal','high','urgent'])[1 + (g * 31) % 5],
                   (ARRAY['question','question','incident','bug','change_request'])[1 + (g * 7) % 5],
                   (ARRAY['triage','t1','t1','t2','t2','t3','t4','t5','oncall'])[1 + (g * 17) % 9],
                   CASE WHEN g % 10 < 8 THEN ({arr})[1 + (g / 7) % 20] END,
                   ts, ts + interval '2 hours',
                   CASE WHEN g % 20 > 0 THEN ts + ((g * 13) % 600) * interval '1 minute' END,
                   CASE WHEN st IN ('resolved','closed') THEN ts + ((g * 11) % 200) * interval '1 hour' END,
                   CASE WHEN st IN ('open','review') THEN (ARRAY['green','yellow','red'])[1 + g % 3]
                        WHEN st IN ('pending','waiting','hold') THEN 'paused' ELSE '' END,
                   st IN ('open','review') AND g % 50 = 0,
                   CASE WHEN st IN ('open','review') AND g % 25 = 0 THEN ts + interval '1 day' END
                   {"".join(", " + v for v in extra_vals)}
            FROM (SELECT g, b, ts, age, {status} AS st
                  FROM (SELECT g, (g * 37) % 100 AS b, now() - ({n} - g) * interval '{span} seconds' AS ts,
                               ({n} - g) * interval '{span} seconds' AS age FROM generate_series(1, {n}) g)
                                   a) s""")
        log(f"  tickets in {time.monotonic() - started:.1f}s")
        clock_given = [
            "ticket_id",
            "tier",
            "started_at",
            "stopped_at",
            "stop_reason",
            "business_seconds",
            "final_band",
        ]
        extra_cols, extra_vals = _filler(cur, "sla_slaclock", clock_given)
        cur.execute(f"""
            INSERT INTO sla_slaclock ({", ".join(clock_given + extra_cols)})
            SELECT t.id, (ARRAY['triage','t1','t2','t3'])[k + (t.id % 2)], t.created_at + (k - 1) * interval
                '3 hours',
                   CASE WHEN k < 3 OR t.status IN ('resolved','closed') THEN t.created_at + (k - 1) *
                       interval '3 hours'
                        + ((t.id * k) % 40) * interval '1 hour' END,
                   'responded', ((t.id * k) % 40) * 1800.0,
                   CASE WHEN k = 3 AND t.status NOT IN ('resolved','closed') THEN ''
                        WHEN (t.id * 7 + k) % 10 < 7 THEN 'green' WHEN (t.id * 7 + k) % 10 < 9 THEN 'yellow'
                        ELSE 'red' END
                   {"".join(", " + v for v in extra_vals)}
            FROM tickets_ticket t CROSS JOIN generate_series(1, 3) k""")
        log(f"  clocks in {time.monotonic() - started:.1f}s")
        cur.execute("""
            INSERT INTO tickets_ticketevent (ticket_id, actor_id, verb, data, at)
            SELECT id, NULL::integer, 'escalated', jsonb_build_object('from', 't2', 'to', 't3'), created_at
                + interval '1 hour'
            FROM tickets_ticket WHERE id % 10 = 0
            UNION ALL
            SELECT id, NULL::integer, 'tier_changed', jsonb_build_object('old', 't2', 'new', 't3'),
                created_at + interval '1 hour'
            FROM tickets_ticket WHERE id % 10 = 0
            UNION ALL
            SELECT id, NULL::integer, 'tag_added', jsonb_build_object('tag', CASE WHEN id % 3 = 0 THEN
                'Process Tweak'
                   ELSE (id % 40) || '-known-issue' END), created_at + interval '2 hours'
            FROM tickets_ticket WHERE id % 25 = 0""")
        cur.execute(
            "INSERT INTO tickets_counter (name, value) VALUES ('ticket', %s) "
            "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
            [n],
        )
    with connection.cursor() as cur:
        for table in ("tickets_ticket", "sla_slaclock", "tickets_ticketevent", "auth_user"):
            cur.execute(f"VACUUM ANALYZE {table}")
    log(f"  seeded {n} tickets, {3 * n} clocks in {time.monotonic() - started:.1f}s")


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm-up (plans, caches, template compile)
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, samples: list[float], floor: float) -> str:
    med = statistics.median(samples)
    p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
    return f"{name:<28} {med:9.1f} {p95:9.1f} {med / floor:9.1f}x"


def measure(repeat: int) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from reports import handover, patterns, percentiles, selectors
    from reports.filters import default_filters, last_week
    from tickets.models import Ticket

    now = timezone.now()
    f = default_filters()
    week = last_week()
    some = Ticket.objects.order_by("-id").values_list("pk", flat=True).first()
    q_floor = statistics.median(timed(lambda: Ticket.objects.filter(pk=some).exists(), repeat))
    queries: dict[str, Callable[[], Any]] = {
        "open_by_tier (bands+age)": lambda: selectors.open_by_tier(f, now),
        "compliance_trend (cold)": lambda: (cache.clear(), selectors.compliance_trend(f, now)),
        "compliance_trend (cached)": lambda: selectors.compliance_trend(f, now),
        "breaches_this_week": lambda: selectors.breaches_this_week(f, now),
        "response_times (cold)": lambda: (cache.clear(), percentiles.response_times(f)),
        "agent_load": lambda: selectors.agent_load(f),
        "broken_commitments": lambda: selectors.broken_commitments(f),
        "review_tagged": lambda: selectors.review_tagged(now - dt.timedelta(days=7)),
        "patterns": lambda: patterns.patterns(f, now),
        "handover (all panels)": lambda: handover.handover(week),
    }
    lines = [f"{'query':<28} {'median':>9} {'p95':>9} {'ratio':>10}   (floor: pk lookup {q_floor:.2f} ms)"]
    for name, fn in queries.items():
        lines.append(report(name, timed(fn, repeat), q_floor))
    client = Client()
    client.force_login(get_user_model().objects.get(username="rb_manager"))

    def get(url: str) -> Callable[[], Any]:
        def run() -> None:
            assert client.get(url).status_code == 200, url

        return run

    v_floor = statistics.median(timed(get("/healthz"), repeat))
    lines.append(
        f"{'page':<28} {'median':>9} {'p95':>9} {'ratio':>10}   (floor: GET /healthz {v_floor:.2f} ms)"
    )

    def cold() -> None:
        cache.clear()
        assert client.get("/dashboard/").status_code == 200

    lines.append(report("GET /dashboard/ (cold cache)", timed(cold, repeat), v_floor))
    for name, url in (
        ("GET /dashboard/", "/dashboard/"),
        ("GET /dashboard/ (HTMX live)", None),
        ("GET /reports/handover/", "/reports/handover/"),
    ):
        if url is None:

            def htmx() -> None:
                assert client.get("/dashboard/", headers={"HX-Request": "true"}).status_code == 200

            lines.append(report(name, timed(htmx, repeat), v_floor))
        else:
            lines.append(report(name, timed(get(url), repeat), v_floor))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--without-indexes",
        action="store_true",
        help="also measure without the shipped dashboard indexes (dropped, measured, rebuilt)",
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()

    setup_django(args.database_url)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP INDEX IF EXISTS ticket_unfinished_tier_band")  # an earlier candidate, never shipped
        cur.execute("SELECT count(*) FROM tickets_ticket")
        have = cur.fetchone()[0]
    if args.reseed or have != args.tickets:
        print(f"seeding {args.tickets} tickets …")
        seed(args.tickets)
    built = _build_indexes()
    print(f"\n== {args.tickets:,} tickets, {3 * args.tickets:,} SLA clocks — shipped schema{built} ==")
    print("\n".join(measure(args.repeat)))
    if args.without_indexes:
        with connection.cursor() as cur:
            for name in SHIPPED_INDEXES:
                cur.execute(f"DROP INDEX IF EXISTS {name}")
        try:
            print("\n== without the dashboard indexes ==")
            print("\n".join(measure(args.repeat)))
        finally:
            print(f"rebuilt the shipped indexes{_build_indexes()}")


def _build_indexes() -> str:
    """Create any shipped dashboard index that is missing (an older run of this bench dropped them)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(SHIPPED_INDEXES)])
        missing = [name for name in SHIPPED_INDEXES if name not in {row[0] for row in cur.fetchall()}]
        if not missing:
            return ""
        started = time.monotonic()
        for name in missing:
            cur.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {SHIPPED_INDEXES[name]}")
        for table in ("tickets_ticket", "sla_slaclock"):
            cur.execute(f"VACUUM ANALYZE {table}")
    return f" ({len(missing)} missing index(es) rebuilt in {time.monotonic() - started:.1f}s)"


if __name__ == "__main__":
    main()

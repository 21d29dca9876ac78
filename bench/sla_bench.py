"""Benchmark of the SLA band job (issue #5 "Performance") against raw-SQL floors. PostgreSQL only.

    .venv/bin/python bench/sla_bench.py                      # 1,000,000 tickets, 100,000 running clocks
    .venv/bin/python bench/sla_bench.py --tickets 200000 --open 100000 --move 10000 --repeat 5

Uses its own database (default postgres://postgres:postgres@127.0.0.1:5432/helpdesk_sla_bench, created
and migrated if missing; override with --database-url). Scenarios, each timed --repeat times (median):

* ``noop``   — nothing is due: ``update_sla_bands`` vs the bare ``UPDATE … WHERE <due>`` (0 rows).
* ``move``   — ``--move`` tickets passed their green deadline: the job (select FOR UPDATE SKIP LOCKED,
  one UPDATE per chunk, one event + one notification per ticket) vs two floors: the bare UPDATE alone,
  and the bare UPDATE plus the same events and notifications as INSERT … SELECT (what the job writes,
  in three statements). State is restored between runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/helpdesk_sla_bench"
DUE = (
    "sla_band = 'green' AND sla_green_until <= %(now)s AND sla_yellow_until > %(now)s "
    "AND status IN ('open', 'review')"
)


def seed(total: int, running: int, reseed: bool = False) -> None:
    """``total`` tickets, of which ``running`` are Open with a running green clock (deadlines ahead).
    A seed of the same shape is reused (its bands and deadlines put back, see ``reset``)."""
    from django.db import connection, transaction

    from tickets.models import Contact, Organization

    with connection.cursor() as cur:
        # Open tickets are the running ones whatever band a run left them in: the shape does not change.
        cur.execute("SELECT count(*), count(*) FILTER (WHERE status = 'open') FROM tickets_ticket")
        if not reseed and cur.fetchone() == (total, running):
            print(f"reusing {total:,} tickets ({running:,} running), {reset():,} rows put back to green")
            return
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute(
            "TRUNCATE tickets_ticket, tickets_message, tickets_ticketevent, tickets_notification, "
            "sla_slaclock, sla_ticketslastate RESTART IDENTITY CASCADE"
        )
        # Through the ORM: other apps add NOT NULL columns with model-side defaults to these tables.
        org = Organization.objects.get_or_create(name="SLA bench")[0].pk
        contact = Contact.objects.get_or_create(
            email="sla-bench@client.example", defaults={"name": "Bench", "organization_id": org}
        )[0].pk
        cur.execute(
            "INSERT INTO auth_user (username, password, is_superuser, first_name, last_name, email, "
            "is_staff, is_active, date_joined) VALUES ('sla_bench', '!', false, '', '', '', false, true, "
            "now()) ON CONFLICT DO NOTHING"
        )
        cur.execute("SELECT id FROM auth_user WHERE username = 'sla_bench'")
        agent = cur.fetchone()[0]
        cur.execute(f"""
            INSERT INTO tickets_ticket (number, subject, status, priority, kind, tier, triage_decision,
                chargeable,
                notify_product, created_at, updated_at, next_action, reminders_sent, sla_band,
                    commitment_missed,
                version, requester_id, organization_id, assignee_id, sla_green_until, sla_yellow_until)
            SELECT g, 'Bench ticket ' || g,
                   CASE WHEN g <= {running} THEN 'open' ELSE (ARRAY['resolved','closed'])[1 + g % 2] END,
                   (ARRAY['low','normal','high','urgent'])[1 + g % 4], 'question',
                   (ARRAY['t1','t2','t3','t4','t5'])[1 + g % 5], '', false, false,
                   now() - interval '1 day', now(), '', 0,
                   CASE WHEN g <= {running} THEN 'green' ELSE '' END, false, 1, {contact}, {org},
                   CASE WHEN g % 10 < 7 THEN {agent} END,
                   CASE WHEN g <= {running} THEN now() + interval '2 days' + g * interval '1 second' END,
                   CASE WHEN g <= {running} THEN now() + interval '4 days' + g * interval '1 second' END
            FROM generate_series(1, {total}) g""")
    with connection.cursor() as cur:
        cur.execute("ANALYZE tickets_ticket")
    print(f"seeded {total:,} tickets ({running:,} running) in {time.monotonic() - started:.1f} s")


def reset() -> int:
    """Every running ticket green again with its deadlines ahead (a run moved some to yellow, and the
    seed's deadlines pass with time); only rows that differ are written. Returns how many."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "UPDATE tickets_ticket SET sla_band = 'green', "
            "sla_green_until = now() + interval '2 days' + id * interval '1 second', "
            "sla_yellow_until = now() + interval '4 days' + id * interval '1 second' "
            "WHERE status = 'open' AND (sla_band <> 'green' OR sla_green_until <= now() + interval '1 day')"
        )
        changed = cur.rowcount
        cur.execute("DELETE FROM tickets_ticketevent; DELETE FROM tickets_notification")
        if changed:
            cur.execute("ANALYZE tickets_ticket")
    return changed


def make_due(count: int) -> list[int]:
    """Put the green deadline of ``count`` running tickets one minute in the past."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "UPDATE tickets_ticket SET sla_band = 'green', sla_green_until = now() - interval '1 minute' "
            "WHERE id IN (SELECT id FROM tickets_ticket WHERE status = 'open' ORDER BY id LIMIT %s) "
            "RETURNING id",
            [count],
        )
        ids = [r[0] for r in cur.fetchall()]
        cur.execute("DELETE FROM tickets_ticketevent; DELETE FROM tickets_notification")
        # Each run from a vacuumed table, as autovacuum keeps it (it is off on the shared VM): the dead rows
        # of every earlier run stayed in the indexes, and the job's per-chunk selects, not the floors' one
        # UPDATE, re-read them (2.6M dead rows after a few runs: the due select 83 ms a chunk instead of 5).
        cur.execute("VACUUM ANALYZE tickets_ticket, tickets_ticketevent, tickets_notification")
    return ids


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def floor_update(now) -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"UPDATE tickets_ticket SET sla_band = 'yellow' WHERE {DUE}", {"now": now})
        return cur.rowcount


def floor_full(now) -> int:
    """The same writes as the job, in three set-based statements (no locking, no Python per row)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE moved ON COMMIT DROP AS WITH m AS (UPDATE tickets_ticket SET "
            f"sla_band = 'yellow' WHERE {DUE} RETURNING id, number, subject, assignee_id, sla_green_until) "
            "SELECT * FROM m",
            {"now": now},
        )
        cur.execute(
            "INSERT INTO tickets_ticketevent (ticket_id, verb, data, at) SELECT id, 'sla_band_changed', "
            '\'{"old": "green", "new": "yellow"}\'::jsonb, now() FROM moved'
        )
        cur.execute(
            "INSERT INTO tickets_notification (ticket_id, recipient_user_id, recipient_email, channel, "
            "reason, subject, body, dedupe_key, state, attempts, error, created_at, sent_at, "
            "email_message_id) "
            "SELECT id, assignee_id, '', 'in_app', 'sla_yellow', '[#' || number || '] ' || subject, "
            "'yellow', "
            "'sla_yellow:' || id || ':at' || extract(epoch from sla_green_until)::bigint, 'sent', 0, '', "
            "now(), now(), '' FROM moved "
            "WHERE assignee_id IS NOT NULL ON CONFLICT DO NOTHING"
        )
        cur.execute("SELECT count(*) FROM moved")
        return cur.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000, help="running clocks among them")
    parser.add_argument(
        "--move", type=int, default=10_000, help="tickets turning yellow in the move scenario"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reseed", action="store_true", help="seed anew even if the seed fits")
    args = parser.parse_args()
    setup_django(args.database_url)

    from django.utils import timezone

    from sla.bands import update_sla_bands
    from tickets.models import SlaBand

    seed(args.tickets, args.open, args.reseed)
    results: dict[str, list[float]] = {
        k: [] for k in ("noop_job", "noop_floor", "move_job", "move_floor", "move_floor_full")
    }
    make_due(0)
    for _ in range(args.repeat):
        now = timezone.now()
        results["noop_job"].append(timed(lambda now=now: update_sla_bands(now)))
        results["noop_floor"].append(timed(lambda now=now: floor_update(now)))
    for _ in range(args.repeat):
        for key, fn in (
            ("move_job", lambda n: update_sla_bands(n)[SlaBand.YELLOW]),
            ("move_floor", floor_update),
            ("move_floor_full", floor_full),
        ):
            make_due(args.move)
            now = timezone.now()
            counted: list[int] = []
            results[key].append(timed(lambda fn=fn, now=now, counted=counted: counted.append(fn(now))))
            assert counted[0] == args.move, (key, counted)
    reset()

    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\n{args.tickets:,} tickets, {args.open:,} running clocks, median of {args.repeat} runs")
    print(f"{'scenario':<34}{'job ms':>10}{'floor ms':>10}{'ratio':>8}")
    rows = [
        ("nothing due (target < 100 ms)", "noop_job", "noop_floor"),
        (f"{args.move:,} turn yellow vs bare UPDATE", "move_job", "move_floor"),
        (f"{args.move:,} turn yellow vs UPDATE+INSERTs", "move_job", "move_floor_full"),
    ]
    for label, job, floor in rows:
        print(f"{label:<34}{med[job]:>10.1f}{med[floor]:>10.1f}{med[job] / max(med[floor], 0.001):>8.1f}")


if __name__ == "__main__":
    main()

"""The status-timer sweep (issue #20 §5): due tickets per second, queries per ticket, broker kicks.

    .venv/bin/python bench/sweep_bench.py                          # 100,000 tickets, 10,000 due
    .venv/bin/python bench/sweep_bench.py --due 2000 --repeat 1    # quick

Own database (default postgres://postgres:postgres@127.0.0.1:5432/helpdesk_sweep_bench). Rows are made in
PostgreSQL with INSERT … SELECT generate_series; between runs the first ``--due`` tickets are put back in
the scenario's state (and the messages, events and outbox rows the job wrote are removed). Scenarios:

* ``remind``       — Pending, the first reminder due (issue #20's measurement): a public follow-up
  message, an outbox email, an event, the timer moved on;
* ``auto_resolve`` — Pending after the last reminder, with a paused SLA clock: a status move to Resolved
  with every receiver of the other apps (the clock stopped, timers cleared, the rating request queued,
  followers), a note and the "resolved" email;
* ``auto_close``   — Resolved, the close timer due: a status move to Closed (no clock left to stop);
* ``reopen``       — Waiting past its time, with a paused SLA clock: back to Open (the clock resumed,
  the nudge timer set).

The broker kick is counted, not sent (``tickets.outbox._kick`` is patched). django-helpdesk's
``escalate_tickets`` on the same machine (issue #20): 7.4 queries and 9.6–11 ms per ticket (~90–104
tickets/s); ours before batching: 84 tickets/s, 8 queries and one kick per ticket.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/helpdesk_sweep_bench"
PEER = "django-helpdesk escalate_tickets: 9.6–11 ms/ticket (~90–104/s), 7.4 queries/ticket"
BEFORE = "ours before (one transaction per ticket): 84/s, 8 queries/ticket, 1 kick/ticket"
SCENARIOS = {
    # status, next_action, reminders_sent, with a paused SLA clock
    "remind": ("pending", "remind", 0, False),
    "auto_resolve": ("pending", "auto_resolve", 2, True),
    "auto_close": ("resolved", "auto_close", 0, False),
    "reopen": ("waiting", "reopen", 0, True),
}


def seed(total: int) -> None:
    from django.db import connection, transaction

    from bench.dashboard_bench import _filler
    from tickets.models import Contact, Organization

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM tickets_ticket")
        if cur.fetchone()[0] == total:
            print(f"reusing {total:,} tickets")
            return
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "TRUNCATE tickets_ticket, tickets_message, tickets_ticketevent, tickets_notification, "
            "sla_slaclock, sla_ticketslastate RESTART IDENTITY CASCADE"
        )
        org = Organization.objects.get_or_create(name="Sweep bench")[0].pk
        contact = Contact.objects.get_or_create(
            email="sweep-bench@client.example", defaults={"name": "Robin", "organization_id": org}
        )[0].pk
        given = ["number", "subject", "status", "requester_id", "organization_id", "created_at", "updated_at"]
        extra_cols, extra_vals = _filler(cur, "tickets_ticket", given)
        cur.execute(f"""
            INSERT INTO tickets_ticket ({", ".join(given + extra_cols)})
            SELECT g, 'Sweep ticket ' || g, 'closed', {contact}, {org}, now() - interval '30 days',
                   now() - interval '20 days' {"".join(", " + v for v in extra_vals)}
            FROM generate_series(1, {total}) g""")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE tickets_ticket")
    print(f"seeded {total:,} tickets in {time.monotonic() - started:.1f} s")


def make_due(scenario: str, count: int) -> None:
    from django.db import connection

    status, action, sent, clocked = SCENARIOS[scenario]
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE tickets_message, tickets_ticketevent, tickets_notification, sla_slaclock, "
            "sla_ticketslastate CASCADE"
        )
        cur.execute(
            "UPDATE tickets_ticket SET status = 'closed', next_action = '', next_action_at = NULL, "
            "sla_band = '', sla_paused_green_seconds = NULL, sla_paused_yellow_seconds = NULL "
            "WHERE next_action_at IS NOT NULL OR status <> 'closed' OR sla_band <> ''"
        )
        cur.execute(
            "UPDATE tickets_ticket SET status = %s, next_action = %s, reminders_sent = %s, "
            "status_changed_at = now() - interval '4 days', resolved_at = now() - interval '4 days', "
            "closed_at = NULL, next_action_at = now() - interval '1 minute' WHERE id <= %s",
            [status, action, sent, count],
        )
        if clocked:  # the tier's clock, paused while the ticket waits on the requester
            cur.execute(
                "UPDATE tickets_ticket SET sla_band = 'paused', sla_paused_green_seconds = 25200, "
                "sla_paused_yellow_seconds = 54000 WHERE id <= %s",
                [count],
            )
            cur.execute(
                "INSERT INTO sla_slaclock (ticket_id, tier, started_at, stop_reason, business_seconds, "
                "paused_at, final_band, running_since, green_seconds, yellow_seconds) "
                "SELECT id, 't1', now() - interval '5 days', '', 3600, now() - interval '4 days', '', NULL, "
                "28800, 57600 FROM tickets_ticket WHERE id <= %s",
                [count],
            )
        # Vacuumed, as autovacuum keeps it (off on the shared VM: each run left 10,000+ dead rows behind).
        cur.execute("VACUUM ANALYZE tickets_ticket")
        cur.execute("ANALYZE sla_slaclock")


def run(scenario: str, count: int) -> tuple[float, int, int, int]:
    from unittest import mock

    from django.db import connection
    from django.urls import reverse

    from playbook import params
    from tickets import outbox
    from tickets.timers import run_due_status_timers

    kicks: list[int] = []
    queries: list[int] = []

    def count_query(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    make_due(scenario, count)
    reverse("knowledge:rate", args=["x", "good"])  # a worker has its URLconf loaded after the first run
    params.current()  # … and its cache client (the first scenario paid ~0.3 s of imports and connecting)
    with (
        mock.patch.object(outbox, "_kick", lambda: kicks.append(1)),
        connection.execute_wrapper(count_query),
    ):
        started = time.perf_counter()
        counts = run_due_status_timers()
        elapsed = time.perf_counter() - started
    assert counts["acted"] == count, counts
    return elapsed, len(queries), len(kicks), counts["acted"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.conf import settings

    seed(args.tickets)
    scenarios = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    print(
        f"\n{args.tickets:,} tickets, {args.due:,} due, chunk {settings.HELPDESK_TIMER_CHUNK}, "
        f"median of {args.repeat}"
    )
    print(
        f"{'scenario':<14}{'seconds':>9}{'tickets/s':>11}{'ms/ticket':>11}{'queries/ticket':>16}{'kicks':>7}"
    )
    for scenario in scenarios:
        runs = [run(scenario, args.due) for _ in range(args.repeat)]
        seconds = statistics.median(r[0] for r in runs)
        _, queries, kicks, acted = runs[-1]
        print(
            f"{scenario:<14}{seconds:>9.2f}{acted / seconds:>11,.0f}{1000 * seconds / acted:>11.2f}"
            f"{queries / acted:>16.2f}{kicks:>7}"
        )
    make_due(scenarios[0], 0)
    print(f"peer: {PEER}\n{BEFORE}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

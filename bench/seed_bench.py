"""Seed a benchmark database with N tickets and ~M messages each, fast (PostgreSQL only).

Rows are generated inside PostgreSQL with ``INSERT … SELECT … FROM generate_series`` (no Python loop,
no network per row — faster than COPY from Python, which would have to build every row client-side).
The GIN full-text indexes are dropped during the load and rebuilt afterwards, then the tables are
ANALYZEd so the planner sees the real distribution.

Distribution (per 100 tickets): 4 Open, 2 Pending, 1 Waiting, 1 Review, 1 On hold, 91 Resolved/Closed
— a realistic backlog where queues hold a few percent of all tickets. Tiers and priorities are spread
evenly; 70 % of unfinished tickets have an assignee, the benchmark agent owns a handful."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

# fmt: off
WORDS = [
    "printer", "vpn", "email", "calendar", "sync", "login", "password", "invoice", "export", "report",
    "timeout", "crash", "slow", "upload", "download", "permission", "website", "form", "payment",
    "search", "mobile", "android", "iphone", "browser", "chrome", "firefox", "cache", "database",
    "backup", "restore", "certificate", "domain", "dns", "newsletter", "webinar", "drupal", "plugin",
    "update", "broken", "error", "missing", "blank", "page", "image", "video",
]
# fmt: on
BENCH_AGENT = "bench_agent"
AGENTS = 30
ORGS = 500
CONTACTS_PER_ORG = 10


def _fts_sql() -> tuple[dict[str, str], list[str]]:
    from importlib import import_module

    mod = import_module("tickets.migrations.0004_fts_indexes")
    return mod.INDEXES, [f"DROP INDEX IF EXISTS {name}" for name in mod.INDEXES]


def _staff(log: Any) -> list[int]:
    User = get_user_model()
    group, _ = Group.objects.get_or_create(name="Agent")
    ids = []
    for i in range(AGENTS):
        name = BENCH_AGENT if i == 0 else f"bench_agent{i}"
        user, created = User.objects.get_or_create(username=name, defaults={"first_name": f"Agent{i}"})
        if created:
            user.set_password("bench")
            user.save()
        user.groups.add(group)
        ids.append(user.pk)
    return ids


def seed(n: int, messages_per_ticket: int = 3, log: Any = print) -> None:
    """Replace all tickets with ``n`` generated ones (and their messages and one event each)."""
    from bench.dashboard_bench import _filler

    started = time.monotonic()
    agent_ids = _staff(log)
    words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
    nw = len(WORDS)

    def w(seed_expr: str) -> str:
        return f"({words})[1 + (({seed_expr}) % {nw})]"

    indexes, drops = _fts_sql()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        # The generated rows are consistent by construction: skip the per-row deferred FK triggers, which
        # otherwise all fire at COMMIT (minutes at 1M tickets). Needs a superuser, like the bench database.
        cur.execute("SET LOCAL session_replication_role = replica")
        for sql in drops:
            cur.execute(sql)
        cur.execute(
            "TRUNCATE tickets_ticket, tickets_message, tickets_ticketevent, tickets_ticket_tags, "
            "tickets_ticket_followers, tickets_notification, tickets_replydraft RESTART IDENTITY CASCADE"
        )
        cur.execute("DELETE FROM tickets_contact WHERE email LIKE 'bench%%@client.example'")
        cur.execute("DELETE FROM tickets_organization WHERE name LIKE 'Bench client %%'")
        cur.execute(
            "INSERT INTO tickets_organization (name, email_domains, send_acknowledgements) "
            f"SELECT 'Bench client ' || g, '', true FROM generate_series(1, {ORGS}) g"
        )
        cur.execute("SELECT min(id) FROM tickets_organization WHERE name LIKE 'Bench client %%'")
        org0 = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO tickets_contact (name, email, organization_id, is_authorised) "
            f"SELECT 'Contact ' || g, 'bench' || g || '@client.example', {org0} + (g % {ORGS}), g % 5 = 0 "
            f"FROM generate_series(0, {ORGS * CONTACTS_PER_ORG - 1}) g"
        )
        cur.execute("SELECT min(id) FROM tickets_contact WHERE email LIKE 'bench%%@client.example'")
        contact0 = cur.fetchone()[0]
        agents = "ARRAY[" + ",".join(map(str, agent_ids)) + "]"
        ncontacts = ORGS * CONTACTS_PER_ORG
        # status by bucket of 100: 0-3 open, 4-5 pending, 6 waiting, 7 review, 8 hold, 9-49 resolved,
        # the rest closed
        status = (
            "CASE WHEN b < 4 THEN 'open' WHEN b < 6 THEN 'pending' WHEN b < 7 THEN 'waiting' "
            "WHEN b < 8 THEN 'review' WHEN b < 9 THEN 'hold' WHEN b < 20 THEN 'resolved' ELSE 'closed' END"
        )
        cur.execute(f"""
            INSERT INTO tickets_ticket (number, subject, requester_id, organization_id, status, priority,
                kind, tier,
                assignee_id, triage_decision, chargeable, notify_product, created_at, updated_at,
                    status_changed_at,
                tier_entered_at, next_action, reminders_sent, hold_days, sla_band, sla_green_until,
                    sla_yellow_until,
                commitment_due_at, commitment_missed, version, last_public_reply_at)
            SELECT g, initcap({w("g * 7")}) || ' ' || {w("g * 13 + 3")} || ' ' || {w("g / 7")} || ' issue',
                {contact0} + (g % {ncontacts}), {org0} + ((g % {ncontacts}) % {ORGS}), {status},
                (ARRAY['low','normal','normal','high','urgent'])[1 + (g * 31 % 5)], 'question',
                (ARRAY['triage','t1','t1','t2','t2','t3','t4','t5','oncall'])[1 + (g * 17 % 9)],
                CASE WHEN b < 9 AND g % 10 < 7 THEN ({agents})[2 + (g / 100) % ({AGENTS} - 1)] END,
                '', false, false, ts, ts + interval '1 hour', ts, ts, '', 0,
                CASE WHEN b = 8 THEN 3 END,
                CASE WHEN b IN (0,1,2,3,7) THEN (ARRAY['green','yellow','red'])[1 + g % 3] WHEN b < 9 THEN
                    'paused'
                     ELSE '' END,
                CASE WHEN b IN (0,1,2,3,7) THEN now() + ((g % 3) - 1) * interval '3 hours' + (g % 97) *
                    interval '1 minute' END,
                CASE WHEN b IN (0,1,2,3,7) THEN now() + (g % 3) * interval '1 day' + (g % 89) * interval
                    '1 minute' END,
                CASE WHEN b < 4 AND g % 50 = 0 THEN now() + (g % 48) * interval '1 hour' END, false, 1,
                CASE WHEN b > 3 THEN ts + interval '30 minutes' END
            FROM (SELECT g, (g * 37) % 100 AS b, now() - ({n} - g) * interval '30 seconds' AS ts
                  FROM generate_series(1, {n}) g) s""")
        given = [
            "ticket_id",
            "author_contact_id",
            "author_user_id",
            "visibility",
            "kind",
            "body",
            "created_at",
        ]
        # NOT NULL columns other apps add later (e.g. body_html, format) get a neutral value.
        extra_cols, extra_vals = _filler(cur, "tickets_message", given)
        cur.execute(f"""
            INSERT INTO tickets_message ({", ".join(given + extra_cols)})
            SELECT t.id, CASE WHEN m % 2 = 1 THEN t.requester_id END, CASE WHEN m % 2 = 0 THEN
                {agent_ids[1]} END,
                CASE WHEN m = 3 THEN 'internal' ELSE 'public' END, CASE WHEN m = 3 THEN 'note' ELSE 'reply'
                    END,
                'Hello, ' || {w("t.id * 11 + m")} || ' ' || {w("t.id * 3 + m * 5")} ||
                    ' is not working since the '
                || {w("t.id + m * 7")} || ' change. We tried the ' || {w("t.id * 19 + m")} || ' and '
                || {w("t.id * 23 + m * 2")} || ' steps without luck. Regards.',
                t.created_at + m * interval '10 minutes' {"".join(", " + v for v in extra_vals)}
            FROM tickets_ticket t CROSS JOIN generate_series(1, {messages_per_ticket}) m""")
        cur.execute("""INSERT INTO tickets_ticketevent (ticket_id, actor_id, verb, data, at)
                       SELECT id, NULL, 'created', '{"tier": "triage"}'::jsonb, created_at FROM
                           tickets_ticket""")
        # The benchmark agent owns a realistic load: 6 unfinished tickets (WIP limit 3 → amber warning).
        cur.execute(f"""UPDATE tickets_ticket SET assignee_id = {agent_ids[0]} WHERE id IN (
                        SELECT id FROM tickets_ticket WHERE status IN ('open', 'pending') ORDER BY id DESC
                            LIMIT 6)""")
        cur.execute(
            "INSERT INTO tickets_counter (name, value) VALUES ('ticket', %s) "
            "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
            [n],
        )
    log(f"  rows inserted in {time.monotonic() - started:.1f}s; building full-text indexes …")
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        for name, spec in indexes.items():
            cur.execute(f"CREATE INDEX {name} ON {spec}")
        for table in ("tickets_ticket", "tickets_message", "tickets_ticketevent", "tickets_contact"):
            cur.execute(f"VACUUM ANALYZE {table}")
    log(f"  seeded {n} tickets, {n * messages_per_ticket} messages in {time.monotonic() - started:.1f}s")

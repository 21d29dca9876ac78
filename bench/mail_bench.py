# ruff: noqa: E501
"""Benchmark of the email channel (issue #13 "Performance"). PostgreSQL only; not a timed test.

    .venv/bin/python bench/mail_bench.py                         # 1,000,000 tickets for the lookup
    .venv/bin/python bench/mail_bench.py --tickets 200000 --receive 2000 --process 500

Uses its own database (default postgres://postgres:postgres@127.0.0.1:5432/helpdesk_mail_bench, created
and migrated if missing). Scenarios:

* ``receive`` — smtplib over one connection to the running aiosmtpd receiver (in this process, like
  ``manage.py smtp_receiver``): each message is committed as a raw row before the 250, and its processing
  is queued (file-system broker unless REDIS_URL is set). Goal ≥ 300 messages/s.
* ``process`` — ``sweep()`` over stored rows: parse, contact, new ticket, acknowledgement. Goal ≥ 50/s.
* ``lookup`` — finding the ticket for a reply among ``--tickets`` tickets (each with a Message-ID on its
  message): by our Message-ID in In-Reply-To, and by the ``+token`` address. Goal ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import smtplib
import statistics
import sys
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/helpdesk_mail_bench"


def seed(total: int) -> None:
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM tickets_ticket")
        if cur.fetchone()[0] >= total:
            print(f"reusing {total:,} tickets")
            return
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("TRUNCATE tickets_ticket, tickets_message, mail_inboundemail RESTART IDENTITY CASCADE")
        cur.execute(
            "INSERT INTO tickets_contact (name, email, is_authorised) VALUES ('Bench', 'bench@client.example', "
            "false) ON CONFLICT DO NOTHING RETURNING id"
        )
        cur.execute("SELECT id FROM tickets_contact WHERE email = 'bench@client.example'")
        contact = cur.fetchone()[0]
        cur.execute(f"""
            INSERT INTO tickets_ticket (number, subject, status, priority, kind, tier, triage_decision, chargeable,
                notify_product, created_at, updated_at, next_action, reminders_sent, sla_band, commitment_missed,
                version, requester_id)
            SELECT g, 'Bench ticket ' || g, 'open', 'normal', 'question', 't1', '', false, false, now(), now(),
                   '', 0, '', false, 1, {contact}
            FROM generate_series(1, {total}) g""")
        cur.execute(f"""
            INSERT INTO tickets_message (ticket_id, author_contact_id, visibility, kind, body, created_at,
                format, body_html, email_message_id)
            SELECT id, {contact}, 'public', 'reply', 'Bench body', now(), 'plain', '',
                   '<bench-' || id || '@helpdesk.localhost>'
            FROM tickets_ticket""")
        cur.execute(
            "INSERT INTO tickets_counter (name, value) VALUES ('ticket', %s) "
            "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
            [total],
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE tickets_ticket; ANALYZE tickets_message")
    print(f"seeded {total:,} tickets in {time.monotonic() - started:.1f} s")


def _message(i: int) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"] = f"sender{i % 5000}@bench.example", "support@helpdesk.localhost"
    msg["Subject"] = f"Bench request {i}"
    msg["Message-ID"] = f"<bench-in-{time.time_ns()}-{i}@bench.example>"
    msg.set_content(f"Hello, request number {i}.\n\nOn Mon, Someone wrote:\n> quoted history\n")
    return msg


def bench_receive(count: int) -> float:
    from mail.models import InboundEmail
    from mail.smtp import start
    from tests.mail.dovecot import free_port

    port = free_port()
    controller = start("127.0.0.1", port)
    before = InboundEmail.objects.count()
    messages = [_message(i) for i in range(count)]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for msg in messages:
            smtp.send_message(msg)
    elapsed = time.perf_counter() - started
    controller.stop()
    assert InboundEmail.objects.count() - before == count
    return count / elapsed


def bench_process(count: int) -> float:
    from django.conf import settings

    from mail.models import InboundEmail
    from mail.services import store, sweep

    settings.HELPDESK_MAIL_SENDER_CAP = 10**6
    InboundEmail.objects.filter(state="received").update(state="discarded")
    for i in range(count):
        store(_message(i).as_bytes(), channel="smtp", kick=False)
    started = time.perf_counter()
    done = sweep(limit=count)
    elapsed = time.perf_counter() - started
    assert done == count, done
    return count / elapsed


def bench_lookup(total: int, repeat: int) -> tuple[float, float, float, float]:
    import random

    from mail.services.processing import _by_thread
    from tickets.mailing import reply_address, ticket_for_addresses
    from tickets.models import Ticket

    rng = random.Random(13)
    by_id, by_token = [], []
    for _ in range(repeat):
        n = rng.randint(1, total)
        ids = [f"<unknown-{n}@x>", f"<bench-{n}@helpdesk.localhost>"]
        started = time.perf_counter()
        found = _by_thread(ids)
        by_id.append((time.perf_counter() - started) * 1000)
        assert found is not None and found.pk == n
        address = reply_address(Ticket(pk=n, number=n))
        started = time.perf_counter()
        found = ticket_for_addresses(["someone@else.example", address])
        by_token.append((time.perf_counter() - started) * 1000)
        assert found is not None and found.number == n
    q = lambda xs: (statistics.median(xs), sorted(xs)[int(len(xs) * 0.95) - 1])  # noqa: E731
    return (*q(by_id), *q(by_token))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--receive", type=int, default=2000)
    parser.add_argument("--process", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    setup_django(args.database_url)
    seed(args.tickets)
    median_id, p95_id, median_token, p95_token = bench_lookup(args.tickets, args.repeat)
    print(
        f"lookup at {args.tickets:,} tickets: Message-ID median {median_id:.2f} ms p95 {p95_id:.2f} ms; "
        f"+token median {median_token:.2f} ms p95 {p95_token:.2f} ms (goal ≤ 5 ms)"
    )
    print(f"receive: {bench_receive(args.receive):.0f} messages/s (goal ≥ 300)")
    print(f"process: {bench_process(args.process):.0f} messages/s (goal ≥ 50)")


if __name__ == "__main__":
    main()

"""Triage queue at scale (issue #16 item 7): seed N tickets waiting for triage (one message each, bulk
inserts), then time the 50-row page (median of runs) and weigh it, per sort and with a search.

    .venv/bin/python bench/triage_bench.py [N=10000] [runs=7]
Uses its own database (``hd_bench_triage`` next to DATABASE_URL's)."""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import setup_django  # noqa: E402


def seed(n: int) -> None:
    from django.utils import timezone

    from tickets.models import Contact, Counter, Message, Organization, Ticket, Tier

    have = Ticket.objects.filter(tier=Tier.TRIAGE, triage_decision="").count()
    if have >= n:
        return
    rng = random.Random(16)
    orgs = [Organization.objects.get_or_create(name=f"Bench org {i}")[0] for i in range(40)]
    contacts = [
        Contact.objects.get_or_create(
            email=f"bench{i}@bench.example", defaults={"name": f"Bench {i}", "organization": orgs[i % 40]}
        )[0]
        for i in range(400)
    ]
    words = ("printer", "calendar", "invoice", "login", "sync", "export", "billing", "vpn", "email")
    start = (Counter.objects.filter(name="ticket").values_list("value", flat=True).first() or 0) + 1
    now = timezone.now()
    batch = []
    for i in range(n - have):
        c = rng.choice(contacts)
        subject = " ".join(rng.sample(words, 3)).capitalize() + f" {i}"
        batch.append(
            Ticket(
                number=start + i,
                subject=subject,
                requester=c,
                organization_id=c.organization_id,
                priority=rng.choice(["low", "normal", "normal", "high", "urgent"]),
                tier=Tier.TRIAGE,
                sla_band=rng.choice(["green", "yellow", "red"]),
                sla_yellow_until=now + dt.timedelta(hours=rng.randint(-48, 48)),
                status_changed_at=now,
                tier_entered_at=now,
            )
        )
    Ticket.objects.bulk_create(batch, batch_size=2000)
    Counter.objects.update_or_create(name="ticket", defaults={"value": start + len(batch)})
    made = Ticket.objects.filter(number__gte=start).values_list("id", "subject")
    Message.objects.bulk_create(
        [Message(ticket_id=pk, body=f"{subject}: it stopped working this morning.") for pk, subject in made],
        batch_size=2000,
    )


def measure(runs: int) -> None:
    from django.contrib.auth.models import Group, User
    from django.test import Client

    lead, _ = User.objects.get_or_create(username="bench-lead")
    lead.groups.add(Group.objects.get_or_create(name="Triage lead")[0])
    client = Client()
    client.force_login(lead)
    for path in ("/triage/", "/triage/?sort=newest", "/triage/?sort=priority", "/triage/?sort=sla",
                 "/triage/?q=printer", "/triage/1/row/"):  # fmt: skip
        client.get(path)  # warm
        times, size = [], 0
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get(path, HTTP_HX_REQUEST="true" if path.endswith("/row/") else "")
            times.append((time.perf_counter() - t0) * 1000)
            size = len(response.content)
        print(
            f"{path:28} {response.status_code} {size / 1024:6.1f} KB"
            f"  median {statistics.median(times):6.1f} ms"
        )


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    base = os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/helpdesk")
    setup_django(base.rsplit("/", 1)[0] + "/hd_bench_triage")
    seed(n)
    from tickets.models import Ticket, Tier

    print("waiting for triage:", Ticket.objects.filter(tier=Tier.TRIAGE, triage_decision="").count())
    measure(runs)

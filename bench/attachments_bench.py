"""Benchmark: the ticket workspace and the portal page of one long conversation — 50 messages (Markdown,
some with quoted history) and 30 attachments (10 images with thumbnails) — against the 50 ms p95
budget of the workspace (bench/README.md), plus the download view.

    .venv/bin/python bench/attachments_bench.py [--requests 50]

Uses its own database (default postgres://postgres:postgres@127.0.0.1:5432/helpdesk_attach_bench) and a
temporary MEDIA_ROOT; the cache is local memory (no shared Redis). Prints median, p95 and queries."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(url: str, media: str) -> None:
    from bench.common import ensure_database

    ensure_database(url)
    os.environ.update(
        DATABASE_URL=url, DJANGO_SETTINGS_MODULE="helpdesk.settings", DEBUG="0", MEDIA_ROOT=media
    )
    os.environ.pop("REDIS_URL", None)
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    call_command("migrate", verbosity=0)


def seed() -> tuple[int, int, object, object, int]:
    import io

    from django.contrib.auth.models import Group
    from PIL import Image

    from attachments.services import store_bytes
    from tests.factories import (
        ContactFactory,
        MessageFactory,
        OrganizationFactory,
        UserFactory,
        requester_user,
    )
    from tickets import services
    from tickets.models import MessageFormat

    run = time.time_ns()
    agent = UserFactory(username=f"bench-agent-{run}")
    agent.groups.add(Group.objects.get_or_create(name="Agent")[0])
    contact = ContactFactory(
        email=f"bench-{run}@client.example", organization=OrganizationFactory(name=f"Attach bench {run}")
    )
    ticket = services.open_ticket(contact, "Export keeps failing", "It fails at 80%.")
    buf = io.BytesIO()
    Image.new("RGB", (1280, 800), "navy").save(buf, "PNG")
    image = buf.getvalue()
    messages = []
    for i in range(50):
        quoted = (
            "\n\nOn Mon, 1 Dec 2026 at 10:00, Support wrote:\n> earlier text\n> more" if i % 5 == 0 else ""
        )
        messages.append(
            MessageFactory(
                ticket=ticket,
                author_contact=None if i % 2 else contact,
                author_user=agent if i % 2 else None,
                body=f"**Update {i}**\n\n- step one\n- step two\n\n`code {i}` and [a link](https://example.com){quoted}",
                format=MessageFormat.MARKDOWN,
            )
        )
    first_image = None
    for i in range(30):
        target = messages[i % 50]
        if i % 3 == 0:
            stored = store_bytes(target, filename=f"screen-{i}.png", content=image)
            first_image = first_image or stored
        else:
            store_bytes(target, filename=f"export-{i}.log", content=b"line\n" * 2000)
    plain = services.open_ticket(contact, "Same length, plain text, no files", "It fails at 80%.")
    for i in range(49):
        MessageFactory(ticket=plain, author_contact=contact, body=f"Update {i}\nstep one\nstep two")
    return ticket.number, first_image.pk, agent, requester_user(contact), plain.number


def timed(client, url: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument(
        "--database-url", default="postgres://postgres:postgres@127.0.0.1:5432/helpdesk_attach_bench"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as media:
        setup(args.database_url, media)
        from django.db import connection
        from django.test import Client

        number, file_pk, agent, customer, plain = seed()
        screens = [
            ("baseline: workspace, 50 plain messages", f"/tickets/{plain}/", agent),
            ("workspace, 50 messages + 30 files", f"/tickets/{number}/", agent),
            ("portal, same ticket", f"/tickets/{number}/", customer),
            ("download (png, inline)", f"/files/{file_pk}/", agent),
            ("thumbnail", f"/files/{file_pk}/thumbnail/", agent),
        ]
        header = f"{'screen':38} {'median':>8} {'p95':>8} {'queries':>7}"
        print(header)
        print("-" * len(header))
        for label, url, user in screens:
            client = Client()
            client.force_login(user)
            timed(client, url, 3)
            executed: list[str] = []
            with connection.execute_wrapper(
                lambda ex, sql, *a, seen=executed: (seen.append(sql), ex(sql, *a))[1]
            ):
                client.get(url)
            times = sorted(timed(client, url, args.requests))
            med, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
            print(f"{label:38} {med:7.1f}ms {p95:7.1f}ms {len(executed):7d}")


if __name__ == "__main__":
    main()

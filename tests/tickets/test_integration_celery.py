"""A real Celery worker and a real beat process against the real broker (Redis in CI, the file broker
otherwise) and the test database: a due ticket changes status without anyone calling the job."""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tickets import services
from tickets.models import Status, Ticket

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]
CELERY = str(Path(sys.executable).with_name("celery"))


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"


def test_beat_and_worker_move_a_due_ticket(tmp_path, agent, contact):
    ticket = services.open_ticket(contact, "Waiting too long", "body")
    services.change_status(ticket, Status.WAITING, by=agent)
    Ticket.objects.filter(pk=ticket.pk).update(next_action_at=timezone.now() - dt.timedelta(minutes=1))
    # "Done means": a ticket left Pending for 3 days gets its reminder from the running beat.
    pending = services.open_ticket(contact, "Did that help?", "body")
    services.add_reply(pending, agent, "Try clearing the cache.", status=Status.PENDING)
    Ticket.objects.filter(pk=pending.pk).update(next_action_at=timezone.now() - dt.timedelta(minutes=1))

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_QUEUE": f"test-{uuid.uuid4().hex[:8]}",
        "HELPDESK_TIMER_INTERVAL": "1",
        "HELPDESK_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    common = {
        "cwd": settings.BASE_DIR,
        "env": env,
        "stdout": subprocess.PIPE,
        "stderr": subprocess.STDOUT,
        "text": True,
    }
    worker = subprocess.Popen(
        [
            CELERY,
            "-A",
            "helpdesk",
            "worker",
            "-l",
            "info",
            "-c",
            "1",
            "-Q",
            env["CELERY_QUEUE"],
            "--without-mingle",
            "--without-gossip",
        ],
        **common,
    )
    beat = subprocess.Popen(
        [CELERY, "-A", "helpdesk", "beat", "-l", "info", "-s", str(tmp_path / "beat-schedule"), "--pidfile="],
        **common,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ticket.refresh_from_db()
            pending.refresh_from_db()
            if ticket.status == Status.OPEN and pending.reminders_sent == 1:
                break
            assert worker.poll() is None and beat.poll() is None, "a Celery process died"
            time.sleep(0.5)
    finally:
        for proc in (beat, worker):
            proc.terminate()
        logs = [proc.communicate(timeout=20)[0] for proc in (beat, worker)]
    assert ticket.status == Status.OPEN, "worker/beat did not run the timer:\n" + "\n".join(logs)[-3000:]
    assert ticket.events.filter(verb="status_changed", actor=None, data__new="open").count() == 1
    assert pending.reminders_sent == 1 and pending.status == Status.PENDING
    assert pending.notifications.filter(reason="pending_reminder").count() == 1

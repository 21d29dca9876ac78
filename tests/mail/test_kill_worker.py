"""The worker killed between store and process (here: half-way through processing, holding the row):
its transaction dies with it, the row stays ``received``, and the sweep processes it exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from mail.models import InboundEmail
from mail.services import process, sweep
from tickets.models import Notification, Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]
ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys, time
import django
django.setup()
from mail.services import processing, store
from tests.mail.helpers import make_email

row = store(make_email(subject="Killed mid-way"), channel="smtp", kick=False)
original = processing._acknowledge

def hang(*args, **kwargs):
    original(*args, **kwargs)
    open(sys.argv[1], "w").write(str(row.pk))
    time.sleep(120)

processing._acknowledge = hang
processing.process(row.pk)
"""


def _database_url() -> str:
    db = connection.settings_dict
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


def test_killed_worker_message_processed_exactly_once(tmp_path):
    if "sqlite" in connection.settings_dict["ENGINE"]:
        pytest.skip("needs row locks across processes (PostgreSQL)")
    marker = tmp_path / "marker"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
        "HELPDESK_VAR_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(marker)], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), "the child never reached the middle of processing"
        pk = int(marker.read_text())
        assert process(pk) is None  # the child holds the row: nobody else processes it meanwhile
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    row = InboundEmail.objects.get(pk=pk)
    assert row.state == "received" and not Ticket.objects.exists()  # the half-done work is gone
    deadline = time.monotonic() + 20
    while InboundEmail.objects.get(pk=pk).state == "received" and time.monotonic() < deadline:
        sweep()  # the server may take a moment to notice the dead connection and release the row
        time.sleep(0.2)
    sweep()
    assert InboundEmail.objects.get(pk=pk).state == "processed"
    assert Ticket.objects.count() == 1
    assert Notification.objects.filter(reason="acknowledgement").count() == 1

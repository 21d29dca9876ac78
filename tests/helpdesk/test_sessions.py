"""With Redis configured, sessions are read from the cache and written to both (``cached_db``): a page
no longer queries the session table, and a Redis outage falls back to the database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _engine(redis_url: str) -> str:
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "helpdesk.settings"}
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_session_engine_follows_the_cache():
    assert _engine("redis://127.0.0.1:6379/0") == "django.contrib.sessions.backends.cached_db"
    assert _engine("") == "django.contrib.sessions.backends.db"


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_a_signed_in_page_reads_no_session_row(client, agent, ticket):
    client.force_login(agent)
    client.get(f"/tickets/{ticket.number}/")
    with CaptureQueriesContext(connection) as q:
        assert client.get(f"/tickets/{ticket.number}/").status_code == 200
    assert not [x for x in q.captured_queries if "django_session" in x["sql"]]
    client.post("/accounts/logout/")
    assert client.get(f"/tickets/{ticket.number}/").status_code == 302  # signed out: the cached copy went too

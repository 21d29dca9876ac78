"""What every benchmark does first: create its own PostgreSQL database if missing, point Django at it
(the cache on a local Redis when one answers, its keys prefixed with the database name, DEBUG off,
any host), set Django up and migrate."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _reachable(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def setup_django(url: str) -> None:
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    os.environ["DEBUG"] = "0"
    # Like production: the shared cache on Redis (its own database number) when a local Redis answers.
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL") or (
        "redis://127.0.0.1:6379/14" if _reachable("127.0.0.1", 6379) else ""
    )
    if not os.environ["REDIS_URL"]:
        del os.environ["REDIS_URL"]
    # Each bench database its own cache namespace: a cached role, saved view or dashboard figure of one
    # seed never answers for another database sharing the Redis database (or the file cache).
    os.environ["CACHE_KEY_PREFIX"] = f"bench:{url.rsplit('/', 1)[1]}"
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from helpdesk.runtime import settle

    settle()  # the process as gunicorn serves it (helpdesk/wsgi.py)

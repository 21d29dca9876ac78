"""Shared fixtures. The suite runs on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set (CI) and
on SQLite + the file broker otherwise; when they are set but unreachable the run stops with an error
instead of silently skipping (brief: "failing — not skipping")."""

from __future__ import annotations

import importlib
import os
import shutil
import socket
import time
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in the main thread; Django's async guard would refuse ORM
# calls in tests. Tests only — never set in production (TOOLCHAIN §5).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=3
        ):
            return True
    except OSError:
        return False


def pytest_configure(config):
    from django.conf import settings

    # Fast hashing for test users (production: Argon2 first, helpdesk/settings.py; tested in
    # tests/accounts/test_hashers.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each xdist worker gets its own Redis database for the cache: a test's cache.clear() (FLUSHDB) must not
    # wipe the other worker's cache, nor the Celery broker's queue in database 0.
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:  # the embedded mode's file cache is shared by the xdist workers: one cache each instead
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        settings.WORKSPACE_FRAGMENTS = True  # as on Redis (tickets/fragments.py)
    # Keys of one xdist worker never meet another's (nor a developer's running site on the same Redis).
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{os.environ.get('PYTEST_XDIST_WORKER') or 'gw0'}"
    if redis_url and "RedisCache" in settings.CACHES["default"]["BACKEND"]:
        worker = int((os.environ.get("PYTEST_XDIST_WORKER") or "gw0").removeprefix("gw") or 0)
        location = urlparse(redis_url)._replace(path=f"/{1 + worker % 15}").geturl()
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": location}}


def pytest_sessionstart(session):
    for name, port in (("DATABASE_URL", 5432), ("REDIS_URL", 6379)):
        url = os.environ.get(name)
        if url and not url.startswith("sqlite") and not _reachable(url, port):
            pytest.exit(
                f"{name}={url} is set but not reachable — start the service or unset {name}.", returncode=3
            )


@pytest.fixture
def celery_eager():
    """Tasks queued by the code under test run in-process, at once (ask for it where a test needs the
    task's effect: tasks are queued on commit, so only transactional and live-server tests queue any)."""
    from helpdesk.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (cached filter choices, saved views, login attempts): ids are
    reused from one test's database to the next. Each xdist worker has its own cache database."""
    from django.core.cache import cache

    from helpdesk import localcache

    cache.clear()
    localcache.forget_all()


BASELINE_SEEDS = (
    ("tickets.migrations.0002_roles_and_teams", "forwards"),
    ("tickets.migrations.0005_seed_canned_responses", "seed"),
    ("sla.migrations.0003_default_calendar_and_policies", "forwards"),
    ("macros.migrations.0002_playbook_default_macros", "seed"),
    ("partners.migrations.0002_support_team_always_cc", "seed"),
)


@pytest.fixture(autouse=True)
def _baseline_data(request):
    """Data migrations create the roles, teams, the first-response canned reply and the default SLA
    calendar/policies. Transactional tests (threads, live_server) flush every table afterwards, taking
    them with them: put them back (idempotent get_or_create) before every database test."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db:
        return
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    for module, function in BASELINE_SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def agent(db):
    from tests.factories import UserFactory

    return UserFactory(username="agent", role="Agent")


@pytest.fixture
def triage_lead(db):
    from tests.factories import UserFactory

    return UserFactory(username="lead", role="Triage lead")


@pytest.fixture
def manager(db):
    from tests.factories import UserFactory

    return UserFactory(username="manager", role="Manager")


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="admin", role="Admin")


@pytest.fixture
def contact(db):
    from tests.factories import ContactFactory

    return ContactFactory()


@pytest.fixture
def ticket(db, contact):
    from tickets import services

    return services.open_ticket(contact, "Cannot sync calendar", "My calendar stopped syncing yesterday.")


@pytest.fixture
def login(client):
    """``login(user)`` signs the Django test client in and returns it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def browser_login(page, live_server):
    """``browser_login(user)`` signs a Playwright page in through the real login form."""
    from tests.factories import PASSWORD

    def _login(user, next_path: str = "/"):
        page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("domcontentloaded")
        return page

    yield _login
    # Leave the page before the database is flushed: a poll (bell, presence, live refresh) still being
    # served by the live server would hold a table lock that deadlocks the flush's TRUNCATE.
    page.goto("about:blank")
    time.sleep(0.3)

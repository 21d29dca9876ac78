"""Item 1 of issue #15: with Redis stopped every page type still answers (no 5xx), reads fall back to the
database and /healthz says which part is down. The test starts and stops its OWN redis-server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from tests.factories import PASSWORD, UserFactory, requester_user

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
    pytest.mark.usefixtures("celery_eager"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    redis = OwnRedis()
    redis.start()
    caches = {
        "default": {
            "BACKEND": "helpdesk.cache.SafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis.port}/0",
        }
    }
    try:
        with override_settings(CACHES=caches):
            yield redis
    finally:
        redis.stop()


@pytest.fixture
def people(db, ticket):
    return {
        "agent": UserFactory(username="agent3", role="Agent"),
        "lead": UserFactory(username="lead", role="Triage lead"),
        "manager": UserFactory(username="manager", role="Manager"),
        "requester": requester_user(ticket.requester),
        "ticket": ticket,
    }


def _staff_pages(number: int) -> list[str]:
    return [
        "/",
        "/queues/all/",
        "/queues/all/?q=sync",
        f"/tickets/{number}/",
        "/triage/",
        "/known-issues/",
        "/oncall/",
        "/dashboard/",
        "/reports/handover/",
        "/sla/policies/",
        "/sla/calendars/",
        "/canned/",
        "/status/",
        "/api/tickets/",
        "/api/triage/",
        f"/api/tickets/{number}/",
    ]


def _visit_everything(people: dict) -> list[tuple[str, str, int]]:
    """(who, url, status) for every page type; sign-in goes through the real forms."""
    number = people["ticket"].number
    seen: list[tuple[str, str, int]] = []
    for who in ("agent", "lead", "manager"):
        client = Client()
        client.force_login(people[who])
        for url in _staff_pages(number):
            seen.append((who, url, client.get(url).status_code))
    portal = Client()
    portal.force_login(people["requester"])
    for url in ("/", f"/tickets/{number}/", "/requests/new/"):
        seen.append(("requester", url, portal.get(url).status_code))
    response = portal.post(f"/tickets/{number}/reply/", {"body": "Still broken during the outage."})
    seen.append(("requester", "reply", response.status_code))
    anonymous = Client()
    for url in ("/accounts/login/", "/status/", "/healthz", "/api/tickets/"):
        seen.append(("anonymous", url, anonymous.get(url).status_code))
    bad = anonymous.post("/accounts/login/", {"username": "agent3", "password": "wrong"})
    seen.append(("anonymous", "sign-in (wrong password)", bad.status_code))
    good = Client().post("/accounts/login/", {"username": "agent3", "password": PASSWORD})
    seen.append(("anonymous", "sign-in", good.status_code))
    admin = Client().post("/admin/login/", {"username": "manager", "password": PASSWORD})
    seen.append(("anonymous", "admin sign-in", admin.status_code))
    return seen


@pytest.mark.django_db(transaction=True)
def test_every_page_type_survives_a_redis_outage(own_redis, people):
    cache.set("probe", 1)
    assert cache.get("probe") == 1  # really on our Redis
    up = _visit_everything(people)
    assert [row for row in up if row[2] >= 500] == []
    own_redis.stop()
    down = _visit_everything(people)
    assert [row for row in down if row[2] >= 500] == []
    assert down == up  # the same answers as with Redis up: pages read the database instead
    assert ("anonymous", "sign-in", 302) in down  # signing in still works
    assert ("agent", "/queues/all/", 200) in down and ("requester", "/requests/new/", 200) in down


@pytest.mark.django_db(transaction=True)
def test_role_lookup_reads_the_database_when_redis_is_down(own_redis, people):
    from helpdesk.permissions import role_of

    agent = people["agent"]
    assert role_of(type(agent).objects.get(pk=agent.pk)) == "Agent"  # now cached in Redis
    own_redis.stop()
    assert role_of(type(agent).objects.get(pk=agent.pk)) == "Agent"
    assert cache.get("anything", "default") == "default"
    cache.set("anything", 1)  # skipped, not raised
    cache.delete("anything")


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_each_part(own_redis, client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    own_redis.stop()
    found = client.get("/healthz")
    assert found.status_code == 200
    assert found.json() == {"status": "degraded", "database": "ok", "cache": "down", "broker": "ok"}
    assert client.get("/readyz").status_code == 200


def test_readiness_fails_when_the_database_does(client, monkeypatch):
    from helpdesk import health

    monkeypatch.setattr(health, "database_status", lambda: health.DOWN)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "down"
    assert client.get("/healthz").status_code == 200

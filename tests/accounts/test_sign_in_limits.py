"""Issue #15 item 3: every way to sign in is limited, on the normalised username, counted atomically."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client

from accounts.limits import normalise_username
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.usefixtures("celery_eager")  # the tasks queued on commit run


@pytest.fixture
def agent3(db):
    return UserFactory(username="agent3", role="Agent")


@pytest.fixture(autouse=True)
def _limit_three(settings):
    settings.AXES_FAILURE_LIMIT = 3


def _sign_in(client: Client, url: str, username: str, password: str) -> int:
    return client.post(url, {"username": username, "password": password}).status_code


def test_normalised_username_folds_width_and_case():
    assert normalise_username("ａgent3") == normalise_username("AGENT3") == "agent3"


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_then_the_right_one_is_refused(client, agent3, url):
    agent3.is_staff = True
    agent3.save()
    assert [_sign_in(client, url, "agent3", "wrong") for _ in range(3)] == [200, 200, 429]
    assert _sign_in(client, url, "agent3", PASSWORD) == 429
    assert "_auth_user_id" not in client.session


def test_admin_and_portal_share_one_budget(client, agent3):
    agent3.is_staff = True
    agent3.save()
    _sign_in(client, "/admin/login/", "agent3", "wrong")
    _sign_in(client, "/accounts/login/", "agent3", "wrong")
    _sign_in(client, "/admin/login/", "agent3", "wrong")
    response = client.post("/admin/login/", {"username": "agent3", "password": PASSWORD})
    assert response.status_code == 429 and b"Too many failed sign-ins" in response.content


def test_fullwidth_and_capitals_get_no_fresh_budget(client, agent3):
    for spelling in ("agent3", "ａgent3", "AGENT3"):
        _sign_in(client, "/accounts/login/", spelling, "wrong")
    response = client.post("/accounts/login/", {"username": "ａｇｅｎｔ３", "password": PASSWORD})
    assert response.status_code == 429 and b"Too many failed sign-ins" in response.content
    assert _sign_in(client, "/accounts/login/", "agent3", PASSWORD) == 429


def test_the_lockout_page_keeps_the_sign_in_form(client, agent3):
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "agent3", "password": "wrong"})
    assert response.status_code == 429
    assert b'name="username"' in response.content and b"Try again in 15 minutes" in response.content


def test_a_success_clears_the_failures(client, agent3):
    _sign_in(client, "/accounts/login/", "agent3", "wrong")
    _sign_in(client, "/accounts/login/", "agent3", "wrong")
    assert _sign_in(client, "/accounts/login/", "agent3", PASSWORD) == 302
    client.logout()
    _sign_in(client, "/accounts/login/", "agent3", "wrong")
    _sign_in(client, "/accounts/login/", "agent3", "wrong")
    assert _sign_in(client, "/accounts/login/", "agent3", PASSWORD) == 302


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_are_counted_one_at_a_time(monkeypatch, settings):
    from django.db import connection

    from tests.concurrency import require_row_locks

    require_row_locks()  # 40 sign-ins at once: SQLite's test database refuses concurrent writers

    settings.AXES_FAILURE_LIMIT = 10
    UserFactory(username="agent3", role="Agent")
    evaluated: list[int] = []
    lock = threading.Lock()
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        with lock:
            evaluated.append(1)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    barrier = threading.Barrier(40)
    statuses: list[int] = []

    def attempt() -> None:
        try:
            barrier.wait()
            statuses.append(_sign_in(Client(), "/accounts/login/", "agent3", "wrong"))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 40 and all(status < 500 for status in statuses)
    assert len(evaluated) == 10  # the first 10 were checked; the other 30 met the lock
    assert _sign_in(Client(), "/accounts/login/", "agent3", PASSWORD) == 429

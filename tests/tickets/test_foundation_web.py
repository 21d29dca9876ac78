import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.factories import PASSWORD


def test_login_page_renders(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200 and b"Sign in" in response.content


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_healthz(client, db):
    assert client.get("/healthz").json()["database"] == "ok"


def test_login_is_rate_limited(client, agent, settings):
    from axes.utils import reset

    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert client.post("/accounts/login/", {"username": "agent", "password": "wrong"}).status_code == 200
    response = client.post("/accounts/login/", {"username": "agent", "password": "wrong"})
    assert response.status_code == 429 and b"Too many failed sign-ins" in response.content
    response = client.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    assert response.status_code == 429
    reset(username="agent")
    assert client.post("/accounts/login/", {"username": "agent", "password": PASSWORD}).status_code == 302


def test_user_without_role_is_refused(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get("/").status_code == 403


def test_api_requires_staff(client, contact, db):
    assert client.get("/api/").status_code in (401, 403)


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="helpdesk.settings_prod",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="helpdesk.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_missing_secret():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings_prod"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    from io import StringIO

    from django.core.management import call_command

    from tickets.models import Organization, Ticket

    call_command("seed_demo", tickets=25, stdout=StringIO())
    counts = (Organization.objects.count(), Ticket.objects.count())
    out = StringIO()
    call_command("seed_demo", tickets=25, stdout=out)
    assert (Organization.objects.count(), Ticket.objects.count()) == counts
    assert "already present" in out.getvalue()

"""Issue #15 item 4: demo data (with an ``admin`` / ``demo`` superuser) never lands on a production site."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_seed_demo_refuses_under_production_settings(settings):
    settings.HELPDESK_PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded under production"):
        call_command("seed_demo", tickets=5, stdout=StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()


def test_the_production_settings_say_so():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DJANGO_SETTINGS_MODULE="helpdesk.settings_prod", SECRET_KEY=secrets.token_urlsafe(50))
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.HELPDESK_PRODUCTION)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True)
    assert result.stdout.strip() == b"True", result.stderr


def test_docker_compose_loads_demo_data_only_with_the_demo_profile():
    compose = yaml.safe_load(Path(settings.BASE_DIR, "docker-compose.yml").read_text())
    seeding = {
        name for name, service in compose["services"].items() if "seed_demo" in str(service.get("command"))
    }
    assert seeding == {"demo"}
    assert compose["services"]["demo"]["profiles"] == ["demo"]

"""Issue #15 item 5: a Content-Security-Policy without inline scripts; API schema/docs for staff only,
served from our own static files."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import requester_user

INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # an inline <script> block
    re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),  # onclick=, onsubmit= …
    re.compile(r"javascript:", re.I),
    re.compile(r"\bhx-on", re.I),  # htmx inline handlers need eval
]


def _templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [
        p
        for p in base.glob("**/templates/**/*.html")
        if ".venv" not in p.parts and "node_modules" not in p.parts
    ]


def test_no_template_has_inline_script_or_handlers():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in _templates()
        for pattern in INLINE
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []


def test_pages_carry_the_policy(client, agent):
    client.force_login(agent)
    header = client.get("/").headers.get("Content-Security-Policy-Report-Only", "")
    assert "script-src 'self'" in header and "unsafe-inline" not in header


def test_production_enforces_the_policy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DJANGO_SETTINGS_MODULE="helpdesk.settings_prod", SECRET_KEY=secrets.token_urlsafe(50))
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], s.CONTENT_SECURITY_POLICY_REPORT_ONLY)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True)
    assert result.stdout.strip() == b"[\"'self'\"] None", result.stderr
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/", "/api/docs/?script="])
def test_schema_and_docs_are_for_signed_in_staff(client, agent, contact, url):
    assert client.get(url).status_code in (401, 403)
    client.force_login(requester_user(contact))
    assert client.get(url).status_code == 403
    client.force_login(agent)
    assert client.get(url).status_code == 200


def test_docs_load_swagger_from_our_static_files(client, agent):
    client.force_login(agent)
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "<script>" not in page

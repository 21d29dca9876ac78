"""Issue #15 item 6/9: a bounded fuzz run of the whole API from its own OpenAPI schema (schemathesis +
hypothesis), signed in as a manager (sees every endpoint) — any 5xx fails CI. More examples for a deeper
run: ``HELPDESK_FUZZ_EXAMPLES=200 ./scripts/test tests/helpdesk/test_api_fuzz.py``."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS, load_all_checks


def _schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


schema = schemathesis.openapi.from_dict(_schema())
EXAMPLES = int(os.environ.get("HELPDESK_FUZZ_EXAMPLES", "5"))


@pytest.fixture
def manager_client(db, manager, ticket) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    return client


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_input_makes_the_api_answer_5xx(manager_client, case):
    headers = {f"HTTP_{k.upper().replace('-', '_')}": str(v) for k, v in (case.headers or {}).items()}
    headers.pop("HTTP_AUTHORIZATION", None)  # signed in by session; token auth is tested on its own
    headers.pop("HTTP_CONTENT_TYPE", None)
    path = case.formatted_path
    query = {k: v for k, v in (case.query or {}).items() if v is not None}
    method = case.method.lower()
    if method == "get":
        response = manager_client.get(path, query, **headers)
    else:
        body = case.body if not isinstance(case.body, type(None)) else {}
        data = json.dumps(body, default=str) if not isinstance(body, str | bytes) else body
        if query:
            from urllib.parse import urlencode

            path = f"{path}?{urlencode(query, doseq=True)}"
        response = manager_client.generic(
            method.upper(), path, data, content_type="application/json", **headers
        )
    assert response.status_code < 500, (
        f"{case.method} {path} {query!r} {case.body!r} → {response.status_code}"
    )


# --- schema conformance, all checks (issue #15 item 9) ------------------------------------------------------

conformance = schemathesis.openapi.from_dict(_schema())
conformance.app = get_wsgi_application()  # requests run through Django in-process, on the test database
# Every built-in check runs (5xx, status codes, content types, headers, response schemas, negative data
# rejected, positive data accepted, required headers, unsupported methods, Allow, use after free, resource
# availability, ignored auth, object-level authorization). A schema-valid request may still be refused by
# a business rule the schema cannot state (a promise in the past, an unknown time zone or team, an
# organization without a delivery manager): that is a 400 with field messages, so 400 counts as an answer.
conformance.config.checks.positive_data_acceptance.expected_statuses = [
    *conformance.config.checks.positive_data_acceptance.expected_statuses,
    "400",
]
load_all_checks()
ALL_CHECKS = CHECKS.get_all()
CONFORMANCE_EXAMPLES = int(os.environ.get("HELPDESK_CONFORMANCE_EXAMPLES", "2"))
CASES: list[str] = []


@pytest.fixture
def token_headers(db, manager, ticket) -> Iterator[dict[str, str]]:
    """A manager's token; Django's per-request connection closing is off (the test owns the connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Token {Token.objects.create(user=manager).key}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@conformance.parametrize()
@settings(
    max_examples=CONFORMANCE_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_answers_as_its_schema_says(token_headers, case):
    response = case.call(headers=token_headers)
    CASES.append(f"{case.method} {case.path} {response.status_code}")
    case.validate_response(
        response,
        checks=ALL_CHECKS,
        headers=token_headers,
        transport_kwargs={"app": conformance.app, "headers": token_headers},
    )


def test_the_conformance_run_covered_the_api():
    """Runs after the parametrized cases (same module): report how many requests were checked, none 5xx."""
    if not CASES:
        pytest.skip("run together with test_the_api_answers_as_its_schema_says")
    server_errors = [c for c in CASES if c.endswith(tuple(f" 5{n:02d}" for n in range(100)))]
    print(f"schemathesis: {len(CASES)} cases, {len(server_errors)} answered 5xx")
    assert not server_errors

"""Issue #15 "Done means": every route of the project × every role, GET and an empty POST — no 5xx, and no
response to a requester or a stranger carries an internal note or another organization's ticket.

The routes are read from the URL resolver (so a new screen is covered the day it is listed); each
``<int:…>`` argument is filled with the demo ticket's number (a real object: the view runs for real),
everything else with a placeholder that should answer 404 or a clear 400."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import ContactFactory, UserFactory, requester_user
from tickets import services

pytestmark = pytest.mark.django_db

SECRET = "INTERNAL-NOTE-7c1e"  # written only in an internal note
OTHER_ORG = "Other-organization-ticket-91ab"  # the subject of a ticket of another organization
SKIP_POST = ("accounts/logout/",)  # would sign the client out mid-run
ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(patterns=None, prefix: str = "") -> list[str]:
    found: list[str] = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith("admin/") and prefix == "":
                found.append("admin/")  # the admin site: its index only (Django's own views)
                continue
            found += _routes(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern) and not route.startswith("^"):
            found.append(prefix + route)
    return sorted(set(found))


def _fill(route: str, number: int) -> str:
    def one(m: re.Match) -> str:
        conv = m.group(1)
        if conv == "int":
            return str(number)
        return "x" if conv in (None, "str", "slug", "path") else "1"

    return "/" + ARG.sub(one, route)


@pytest.fixture
def world(db):
    staff = {
        "agent": UserFactory(username="m-agent", role="Agent"),
        "triage_lead": UserFactory(username="m-lead", role="Triage lead"),
        "manager": UserFactory(username="m-manager", role="Manager"),
        "admin": UserFactory(username="m-admin", role="Admin"),
    }
    contact = ContactFactory(is_authorised=True)
    ticket = services.open_ticket(contact, "Matrix ticket", "Public words.")
    services.add_note(ticket, staff["agent"], f"Do not show: {SECRET}")
    services.open_ticket(ContactFactory(), OTHER_ORG, "Someone else's problem.")
    return {
        "ticket": ticket,
        "requester": requester_user(ContactFactory(organization=contact.organization)),
        **staff,
    }


def test_every_route_for_every_role_answers_without_a_server_error(world):
    routes = _routes()
    assert len(routes) > 100  # the resolver walk found the project's screens and API
    number = world["ticket"].number
    roles = ["anonymous", "requester", "agent", "triage_lead", "manager", "admin"]
    errors: list[str] = []
    leaks: list[str] = []
    statuses: Counter[int] = Counter()
    for role in roles:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(world[role])
        for route in routes:
            path = _fill(route, number)
            methods = ["get"] if route in SKIP_POST else ["get", "post"]
            for method in methods:
                response = getattr(client, method)(path)
                statuses[response.status_code // 100 * 100] += 1
                if response.status_code >= 500:
                    errors.append(f"{role} {method.upper()} {path} → {response.status_code}")
                if role in ("anonymous", "requester") and not getattr(response, "streaming", False):
                    body = response.content.decode(errors="replace")
                    if SECRET in body or OTHER_ORG in body:
                        leaks.append(f"{role} {method.upper()} {path}")
    assert errors == [], "\n".join(errors)
    assert leaks == [], "\n".join(leaks)
    assert sum(statuses.values()) > 1000

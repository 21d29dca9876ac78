"""Issue #15 item 5 in a browser: with the production policy enforced, pages and their scripts still work
(htmx, the confirm before "Hand back", the API docs) and the console shows no policy violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import ContactFactory
from tickets import services

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


@pytest.fixture
def enforced(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_POLICY}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None


def _violations(page) -> list[str]:
    seen: list[str] = []

    def record(msg) -> None:
        if "Content Security Policy" in msg.text:
            seen.append(f"{page.url}: {msg.text}")

    page.on("console", record)
    return seen


def test_pages_work_under_the_enforced_policy(enforced, page, browser_login, live_server, agent):
    violations = _violations(page)
    services.take(services.open_ticket(ContactFactory(), "Owned ticket", "body"), agent)
    browser_login(agent, "/")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#hand-back")
    expect(page.locator("table.queue").first).to_contain_text("Owned ticket")  # dismissed: nothing happened
    assert asked == ["Hand all your unfinished tickets back to their queues?"]
    page.goto(f"{live_server.url}/queues/all/")
    expect(page.locator("body")).to_contain_text("Owned ticket")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Helpdesk API", timeout=30_000)
    assert violations == []

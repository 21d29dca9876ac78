"""The commitment panel in a browser: quick pick and a refused past time, in the workspace and alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def owned(transactional_db, contact, agent):
    from tickets import services

    ticket = services.open_ticket(contact, "Sync broken", "Calendar sync stopped.")
    return services.take(ticket, agent)


def test_promise_from_the_workspace_panel(browser_login, live_server, agent, owned):
    page = browser_login(agent, f"/tickets/{owned.number}/")
    panel = page.locator("#sla-commitment-panel")
    expect(panel).to_contain_text("No update promised")
    panel.get_by_role("button", name=re.compile(r"^\w+ 10:00")).click()  # next working day; loaded by htmx
    expect(panel.locator("#sla-commitment")).to_contain_text("Commitment saved")
    owned.refresh_from_db()
    from django.utils import timezone

    assert owned.commitment_due_at is not None and timezone.localtime(owned.commitment_due_at).hour == 10


def test_past_time_is_refused_on_the_page(browser_login, live_server, agent, owned):
    page = browser_login(agent, f"/sla/tickets/{owned.number}/commitment/")
    page.fill("#id_due_at", "2020-01-01T10:00")
    page.click("#sla-commit")
    expect(page.locator("#sla-commitment-errors")).to_contain_text("in the future")
    owned.refresh_from_db()
    assert owned.commitment_due_at is None

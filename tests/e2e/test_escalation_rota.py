"""Playwright: a manager adds an on-call shift and a rota entry; the gap warning goes away; the weekly
review list shows a Process Tweak ticket."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from escalation.services import escalate
from tickets import services as core
from tickets.models import Tier

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_manager_builds_the_rota(browser_login, live_server, manager, agent):
    page = browser_login(manager, "/oncall/")
    expect(page.locator(".esc-gap").first).to_contain_text("Nobody is on call")
    now = timezone.localtime()
    shift = page.locator("form[action$='/oncall/shifts/add/']")
    shift.locator("select[name=user]").select_option(label=agent.username)
    shift.locator("input[name=starts_at]").fill((now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    shift.locator("input[name=ends_at]").fill((now + dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"))
    shift.get_by_role("button", name="Add on-call shift").click()
    expect(page.locator(".flash")).to_contain_text("On-call shift added")
    expect(page.locator(".esc-chain")).to_contain_text(agent.get_full_name())
    entry = page.locator("form[action$='/oncall/rota/add/']")
    entry.locator("select[name=user]").select_option(label=agent.username)
    entry.locator("select[name=tier]").select_option("t3")
    entry.get_by_role("button", name="Add rota entry").click()
    expect(page.locator(".flash")).to_contain_text("Rota entry added")
    expect(page.locator("section[aria-label=Rota]")).to_contain_text("T3")


def test_manager_sees_review_tags(browser_login, live_server, manager, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T3)
    escalate.escalate_down(
        ticket, agent, to_tier=Tier.T2, note="Transition comment was missing.", process_tweak=True
    )
    page = browser_login(manager, "/escalation/review/")
    expect(page.locator("table.tickets")).to_contain_text("Process Tweak")
    expect(page.locator("table.tickets")).to_contain_text(f"#{ticket.number}")

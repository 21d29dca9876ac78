"""The workspace and the dashboard served from their fragment cache, in a real browser (issue #20): a page
seen again works like a fresh one, its cached forms post, and a change shows at once."""

import pytest
from playwright.sync_api import expect

from tests.factories import ContactFactory
from tickets import services
from tickets.models import Tier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_cached_workspace_works_and_shows_changes_at_once(browser_login, live_server, agent, triage_lead):
    ticket = services.update_ticket(
        services.open_ticket(ContactFactory(), "Sync fails", "It stopped syncing."), triage_lead, tier=Tier.T1
    )
    url = f"{live_server.url}/tickets/{ticket.number}/"
    page = browser_login(agent, f"/tickets/{ticket.number}/")
    page.goto(url)  # the second view: conversation, properties and panels from the cache
    expect(page.locator("#ws-conversation")).to_contain_text("It stopped syncing.")
    page.click("#follow")  # a form from the cached properties: its CSRF token is this session's
    expect(page.locator("#follow")).to_have_text("Unfollow")

    page.click("#send")  # bad input: an empty reply
    expect(page.locator("#ws-reply")).to_contain_text("Write something before sending.")
    expect(page.locator("#ws-conversation")).to_contain_text("It stopped syncing.")

    services.add_note(ticket, triage_lead, "Checked the sync logs: token expired.")
    page.goto(url)
    expect(page.locator("#ws-conversation")).to_contain_text("token expired")
    page.screenshot(path="/tmp/ws-cached.png", full_page=False)


def test_a_cached_dashboard_shows_a_new_ticket_at_once(browser_login, live_server, manager):
    page = browser_login(manager, "/dashboard/")
    page.goto(f"{live_server.url}/dashboard/")
    before = page.locator("#live").inner_text()
    services.open_ticket(ContactFactory(), "Printer on fire", "Smoke everywhere.", priority="high")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("#live")).not_to_have_text(before)
    page.screenshot(path="/tmp/dash-cached.png", full_page=False)

"""The queue's "new" marker in a real browser: gone once the agent has opened the ticket (the workspace's
beacon), back when the requester writes again."""

import time

import pytest
from playwright.sync_api import expect

from tests.factories import TicketFactory
from tickets import services
from tickets.models import TicketSeen, Tier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_new_marker_goes_when_opened_and_comes_back(browser_login, agent):
    ticket = TicketFactory(tier=Tier.T1, subject="Sync stopped")
    page = browser_login(agent, "/queues/t1/")
    row = page.locator(f"#row-{ticket.number}")
    expect(row).to_have_class("unread")
    expect(row.locator(".new-dot")).to_have_count(1)
    row.locator(".subject a").click()
    expect(page.locator("h1")).to_contain_text("Sync stopped")
    for _ in range(50):  # the beacon is sent once the page has loaded
        if TicketSeen.objects.filter(user=agent, ticket=ticket).exists():
            break
        time.sleep(0.2)
    page.goto(page.url.split("/tickets/")[0] + "/queues/t1/")
    expect(page.locator(f"#row-{ticket.number} .new-dot")).to_have_count(0)
    services.add_requester_reply(ticket, ticket.requester, "Still broken.")
    page.reload()
    expect(page.locator(f"#row-{ticket.number} .new-dot")).to_have_count(1)

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


def test_a_long_history_shows_the_newest_and_loads_the_rest_in_place(browser_login, live_server, agent):
    from tickets.models import TicketEvent
    from tickets.selectors import HISTORY_SHOWN

    ticket = services.open_ticket(ContactFactory(), "Busy ticket", "Lots happened.")
    TicketEvent.objects.bulk_create(
        [TicketEvent(ticket=ticket, verb="tag_added", data={"tag": f"step{i}"}) for i in range(70)]
    )
    total = ticket.events.count()
    page = browser_login(agent, f"/tickets/{ticket.number}/")
    page.locator("#ws-history summary").click()  # the history is folded
    expect(page.locator("#ws-history summary")).to_have_text(f"History ({total})")
    expect(page.locator("#ws-history li")).to_have_count(HISTORY_SHOWN)
    expect(page.locator("#history-more")).to_contain_text(f"The newest {HISTORY_SHOWN} of {total} events.")
    page.locator("#history-more a").click()
    expect(page.locator("#ws-history li")).to_have_count(total)
    expect(page.locator("#ws-history")).to_contain_text("step0")
    expect(page.locator("#history-more")).to_have_count(0)
    page.screenshot(path="/tmp/ws-history.png", full_page=False)

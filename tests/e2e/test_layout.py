"""The queue and the workspace at phone (390 px) and desktop (1440 px) widths: no sideways scrolling, one
line per queue row on a desktop, the reply composer reachable without scrolling past the history."""

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible
from tests.factories import ContactFactory
from tickets import services
from tickets.models import Tier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]

WIDTHS = {"phone": (390, 844), "desktop": (1440, 900)}


@pytest.fixture
def busy_ticket(triage_lead, agent):
    contact = ContactFactory(
        name="Dana Fitzgerald-Longname", organization__name="Northwind Traders International"
    )
    t = services.open_ticket(
        contact, "Calendar sync fails for every shared calendar in the finance team " * 2, "It broke."
    )
    t = services.update_ticket(t, triage_lead, tier=Tier.T1)
    for i in range(12):
        services.add_note(t, agent, f"Looked at the logs, step {i}. " + "Nothing obvious yet. " * 12)
    for i in range(8):
        services.open_ticket(contact, f"Second question {i} about invoices and exports", "More.")
    return t


def _no_sideways_scroll(page):
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"page is {width}px wide in a {inner}px window"


@pytest.mark.parametrize("size", WIDTHS)
def test_queue_fits_the_window(browser_login, live_server, agent, busy_ticket, size):
    page = browser_login(agent, "/")
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[size], strict=True)))
    page.goto(f"{live_server.url}/queues/all/")
    row = page.locator(f"#row-{busy_ticket.number}")
    expect(row).to_be_visible()
    _no_sideways_scroll(page)
    if size == "desktop":
        heights = page.evaluate(
            "() => [...document.querySelectorAll('#queue-rows tr[data-href]')]"
            ".map(r => r.getBoundingClientRect().height)"
        )
        assert heights and max(heights) < 48, f"rows wrap: {heights}"  # one text line each
        assert row.locator("time").get_attribute("title")  # exact time on hover
        expect(row.locator(".col-org")).to_have_text("Northwind Traders International")
    else:
        # phones: the search box, the other filters one tap away
        status = page.locator("#filters select[name=status]")
        expect(status).to_be_hidden()
        page.click("#filters .filters-toggle")
        expect(status).to_be_visible()
        _no_sideways_scroll(page)
    assert_accessible(page)


@pytest.mark.parametrize("size", WIDTHS)
def test_workspace_fits_and_the_composer_is_reachable(browser_login, agent, busy_ticket, size):
    page = browser_login(agent, f"/tickets/{busy_ticket.number}/")
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[size], strict=True)))
    page.reload()
    expect(page.locator("#ws-reply")).to_be_attached()
    _no_sideways_scroll(page)
    reply, history = page.locator("#ws-reply").bounding_box(), page.locator("#ws-history").bounding_box()
    if size == "desktop":
        # two panes: the composer is on screen at once, stuck to the bottom of the window, beside the sidebar
        viewport = page.viewport_size
        assert reply["y"] >= 0 and reply["y"] + reply["height"] <= viewport["height"] + 1
        sidebar = page.locator("#ws-sidebar").bounding_box()
        assert sidebar["x"] > reply["x"] + reply["width"] - 1
        expect(page.locator("#canned-select")).to_be_in_viewport()
    else:
        # one column: the composer comes straight after the conversation, before history and properties
        assert reply["y"] < history["y"]
        assert reply["y"] < page.locator("#ws-sidebar").bounding_box()["y"]
    expect(page.locator("#requester-card")).to_contain_text("Northwind Traders International")
    expect(page.locator("#requester-open li")).to_have_count(6)  # five and "and more…"
    assert_accessible(page)
    page.emulate_media(color_scheme="dark")  # the dark theme keeps its contrast
    assert_accessible(page)


def test_shortcut_help_and_collapsible_navigation(browser_login, live_server, agent, busy_ticket):
    page = browser_login(agent, "/queues/all/")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.keyboard.press("?")
    help_box = page.locator("#shortcuts")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("Next / previous ticket")
    page.keyboard.press("Escape")
    expect(help_box).to_be_hidden()
    nav = page.locator("#sidenav")
    expect(nav).to_be_visible()
    page.click("#nav-toggle")
    expect(nav).to_be_hidden()
    page.reload()  # remembered in this browser
    expect(nav).to_be_hidden()
    expect(page.locator("#nav-toggle")).to_have_attribute("aria-expanded", "false")
    page.click("#nav-toggle")
    expect(nav).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})  # phones: the menu opens over the page
    expect(nav).to_be_hidden()
    page.click("#nav-toggle")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Known issues").click()
    expect(page).to_have_url(f"{live_server.url}/known-issues/")

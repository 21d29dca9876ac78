"""Two people on one ticket: the second session's presence and typing are seen by the first, and gone
after it leaves; a message arriving while you type raises a notice; the bell and the centre."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from tickets import services

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


def _login(page, live_server, user, path):
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def test_presence_seen_by_a_second_session_and_gone_after_it_leaves(
    browser_login, browser, live_server, agent, ticket
):
    ann = UserFactory(username="ann", first_name="Ann", last_name="Lee", role="Agent")
    path = ticket.get_absolute_url()
    page = browser_login(agent, path)
    expect(page.locator("#presence-alone")).to_be_visible(timeout=10000)

    other = browser.new_context()
    page2 = other.new_page()
    _login(page2, live_server, ann, path)
    expect(page.locator("#presence-others")).to_contain_text("Ann Lee is viewing", timeout=10000)
    page2.fill("#ws-reply textarea[name=body]", "")
    page2.type("#ws-reply textarea[name=body]", "Hello, I am looking")
    expect(page.locator("#presence-others")).to_contain_text("Ann Lee is typing a reply", timeout=10000)

    page.type("#ws-reply textarea[name=body]", "My answer in progress")
    services.add_note(ticket, ann, "Ann's note arrives while you type")
    expect(page.locator("#new-message-notice")).to_contain_text("Ann Lee (internal note)", timeout=10000)

    other.close()
    expect(page.locator("#presence-alone")).to_be_visible(timeout=15000)
    expect(page.locator("#ws-reply textarea[name=body]")).to_have_value("My answer in progress")


def test_bell_and_centre(browser_login, live_server, agent, ticket):
    ann = UserFactory(username="ann", role="Agent")
    services.set_following(ticket, agent, True)
    services.add_reply(ticket, ann, "We are on it.")
    page = browser_login(agent, "/")
    expect(page.locator("#bell .bell-count")).to_have_text("1")
    page.click("#bell")
    expect(page.locator(".notice.unread")).to_contain_text("replied to the requester")
    page.click("#read-all")
    expect(page.locator(".notice.unread")).to_have_count(0)
    expect(page.locator("#bell .bell-count")).to_have_count(0)
    page.click(".notice-link")
    expect(page.locator("h1")).to_contain_text(ticket.subject)

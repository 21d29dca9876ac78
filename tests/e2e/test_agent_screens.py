"""Agent screens in a real browser: queue → keyboard → workspace → take → canned reply → note → Pending,
and the stale-version conflict that keeps the typed reply."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ContactFactory
from tickets import services
from tickets.models import CannedResponse, Tier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]

FIRST = (
    "Hi {{ requester.first_name }},\nThanks for sending this over! We'll follow up.\n{{ agent.first_name }}"
)


@pytest.fixture(autouse=True)
def _fresh_filter_choices():
    """Queue filter choices are cached for a minute; each test starts without them."""
    from django.core.cache import cache

    from tickets.selectors import filter_choices_key

    cache.delete(filter_choices_key())
    yield
    cache.delete(filter_choices_key())


def _t1_ticket(lead, contact, subject, priority="normal"):
    t = services.open_ticket(contact, subject, f"Body of {subject}", priority=priority)
    return services.update_ticket(t, lead, tier=Tier.T1)


@pytest.fixture
def tickets(triage_lead):
    CannedResponse.objects.get_or_create(title="First response", defaults={"body": FIRST})
    contact = ContactFactory(name="Robin Requester")
    a = _t1_ticket(triage_lead, contact, "Printer jam on floor 2", "high")
    b = _t1_ticket(triage_lead, contact, "VPN drops every hour", "high")
    c = _t1_ticket(triage_lead, contact, "Email bounce", "normal")
    return a, b, c


def test_queue_to_reply_flow(browser_login, live_server, agent, tickets):
    a, b, c = tickets
    agent.first_name = "Alex"
    agent.save()
    page = browser_login(agent, "/queues/t1/?sort=newest")
    expect(page.locator("h1")).to_have_text("T1")
    page.select_option("select[name=priority]", "high")
    page.click("#filters button[type=submit]")
    expect(page.locator("#queue-rows tr[data-href]")).to_have_count(2)
    expect(page.locator("#queue-rows")).not_to_contain_text("Email bounce")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator(f"#row-{a.number}")).to_have_class(re.compile("selected"))
    page.keyboard.press("k")
    expect(page.locator(f"#row-{b.number}")).to_have_class(re.compile("selected"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/tickets/{b.number}/$"))

    page.click("#take-it")
    expect(page.locator("#ws-assignee")).to_contain_text("Owner: Alex")

    page.select_option("#canned-select", label="First response")
    page.click("#canned-insert")
    expect(page.locator("#id_body")).to_have_value(re.compile(r"^Hi Robin,"))
    expect(page.locator("#draft-status")).to_contain_text("Draft saved")
    page.click("#send")
    public = page.locator("#ws-conversation .message.public").last
    expect(public).to_contain_text("Thanks for sending this over!")
    expect(public).to_contain_text("Public reply")
    expect(page.locator("#id_body")).to_have_value("")

    page.check("input[name=visibility][value=internal]")
    page.fill("#id_body", "Checked the VPN logs, nothing obvious.")
    page.click("#send")
    note = page.locator("#ws-conversation .message.internal").last
    expect(note).to_contain_text("Checked the VPN logs")
    expect(note).to_contain_text("Internal note")

    page.select_option("#id_status", "pending")
    page.click("#change-status")
    expect(page.locator("#ws-status")).to_have_text("Pending")

    page.goto(f"{live_server.url}/queues/t1/?priority=high&sort=newest")
    expect(page.locator(f"#row-{b.number}")).to_contain_text("Pending")
    expect(page.locator(f"#row-{b.number}")).to_contain_text("Alex")


def test_version_conflict_keeps_typed_reply(browser_login, live_server, agent, tickets):
    _, b, _ = tickets
    page = browser_login(agent, f"/tickets/{b.number}/")
    page.fill("#id_body", "My carefully typed answer")
    other = page.context.new_page()
    other.goto(f"{live_server.url}/tickets/{b.number}/")
    other.select_option("#id_priority", "urgent")
    other.click("#ws-sidebar button:has-text('Set')")
    expect(other.locator("#ws-flash")).to_contain_text("Priority changed")

    page.click("#send")
    expect(page.locator("#conflict")).to_contain_text("This ticket changed since you opened it")
    expect(page.locator("#conflict")).to_contain_text("priority changed")
    expect(page.locator("#id_body")).to_have_value("My carefully typed answer")
    expect(page.locator("#ws-header")).to_contain_text("Urgent")
    page.click("#send")  # "Send anyway"
    expect(page.locator("#ws-conversation .message.public").last).to_contain_text("My carefully typed answer")


def test_queue_refreshes_itself_every_30_seconds_keeping_the_selection(
    browser_login, live_server, agent, triage_lead, tickets
):
    a, b, _ = tickets
    page = browser_login(agent, "/")
    page.clock.install()  # control time in the page: the 30 s poll runs when we say so
    page.goto(f"{live_server.url}/queues/t1/?sort=newest")  # rows: c, b, a
    page.evaluate("window.__noReload = true")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator(f"#row-{b.number}")).to_have_class(re.compile("selected"))
    services.change_status(a, "pending", by=triage_lead)  # someone else works on a ticket meanwhile
    expect(page.locator(f"#row-{a.number}")).not_to_contain_text("Pending")
    page.clock.fast_forward("00:31")
    expect(page.locator(f"#row-{a.number}")).to_contain_text("Pending")  # swapped in by the poll
    expect(page.locator(f"#row-{b.number}")).to_have_class(re.compile("selected"))  # selection kept
    assert page.evaluate("window.__noReload") is True  # no page load


def test_a_ticket_in_triage_is_answered_after_triage(browser_login, live_server, agent):
    """Issue #15 item 14: the reply form says the ticket waits for triage; a public reply is refused with
    the reason and the text kept; an internal note goes through."""
    waiting = services.open_ticket(ContactFactory(), "Brand new", "Please help")
    page = browser_login(agent, f"/tickets/{waiting.number}/")
    expect(page.locator("#triage-first")).to_contain_text("Waiting for triage")
    page.fill("#id_body", "Here is the answer.")
    page.click("#send")
    expect(page.locator("#ws-reply")).to_contain_text("still waiting for triage")
    expect(page.locator("#id_body")).to_have_value("Here is the answer.")
    assert not waiting.messages.filter(body="Here is the answer.").exists()
    page.check("input[name=visibility][value=internal]")
    page.fill("#id_body", "Probably the sync bug.")
    page.click("#send")
    expect(page.locator(".conversation").first).to_contain_text("Probably the sync bug.")

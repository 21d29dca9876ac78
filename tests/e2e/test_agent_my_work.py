"""My work (WIP warning, hand back), canned response management and the requester portal in a browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ContactFactory, requester_user
from tickets import services
from tickets.models import Ticket

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


def test_my_work_warns_over_wip_and_hands_back(browser_login, live_server, agent, settings):
    settings.HELPDESK_WIP_LIMIT = 3
    contact = ContactFactory()
    for i in range(4):
        services.take(services.open_ticket(contact, f"Owned ticket {i}", "body"), agent)
    page = browser_login(agent, "/")
    expect(page.locator("#wip-warning")).to_contain_text("more than 3")
    expect(page.locator("table.queue").first).to_contain_text("Owned ticket 3")
    page.on("dialog", lambda d: d.accept())
    page.click("#hand-back")
    expect(page.locator(".flash")).to_contain_text("Handed back 4 tickets")
    expect(page.locator("#wip-warning")).to_have_count(0)
    assert not Ticket.objects.filter(assignee=agent).exists()


def test_staff_adds_canned_response(browser_login, live_server, agent):
    page = browser_login(agent, "/canned/new/")
    page.fill("#id_title", "Still looking")
    page.fill("#id_body", "Hi {{ requester.first_name }}, we are still on #{{ ticket.number }}.")
    page.click("main form.card button.primary")
    expect(page).to_have_url(re.compile(r"/canned/$"))
    expect(page.locator("table")).to_contain_text("Still looking")


def test_requester_opens_and_follows_a_request(browser_login, live_server, agent):
    contact = ContactFactory(name="Robin Requester")
    user = requester_user(contact)
    page = browser_login(user, "/")
    page.click("#new-request")
    page.fill("#id_subject", "Cannot export invoices")
    page.fill("#id_body", "The export button does nothing.")
    page.click("main form.card button.primary")
    expect(page.locator("h1")).to_contain_text("Cannot export invoices")
    ticket = Ticket.objects.get(subject="Cannot export invoices")
    services.add_note(ticket, agent, "secret internal remark")
    services.add_reply(ticket, agent, "Please try again now.")
    page.reload()
    expect(page.locator(".conversation")).to_contain_text("Please try again now.")
    expect(page.locator(".conversation")).not_to_contain_text("secret internal remark")
    page.fill("textarea[name=body]", "Works now, thanks!")
    page.click("main form.card button.primary")
    expect(page.locator(".conversation")).to_contain_text("Works now, thanks!")


def test_opening_a_ticket_clears_its_nudge_through_the_page_beacon(browser_login, live_server, agent):
    """Issue #20 §1: the workspace GET writes nothing; once the page has loaded it posts its beacon."""
    from tickets import outbox
    from tickets.models import Notification

    ticket = services.open_ticket(ContactFactory(), "Nudged ticket", "body")
    outbox.notify_user(ticket, agent, "stale_nudge", f"nudge:{ticket.pk}", "No update for a day.")
    page = browser_login(agent, "/")
    expect(page.locator("body")).to_contain_text("No update for a day.")
    with page.expect_response(lambda r: r.url.endswith(f"/tickets/{ticket.number}/seen/")) as seen:
        page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    assert seen.value.status == 204
    assert not Notification.objects.filter(recipient_user=agent, read_at__isnull=True).exists()
    page.goto(f"{live_server.url}/")
    expect(page.locator("body")).not_to_contain_text("No update for a day.")

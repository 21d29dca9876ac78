"""Spam and merge in a real browser: mark a ticket as spam from the workspace, find it on the Spam list,
"Not spam" it in bulk; merge a duplicate offered in the workspace."""

import pytest
from playwright.sync_api import expect

from mail.services.blocklist import is_blocked
from tests.factories import ContactFactory
from tickets import services
from tickets.models import Ticket, Tier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


def _t1(lead, contact, subject):
    return services.update_ticket(services.open_ticket(contact, subject, "Body"), lead, tier=Tier.T1)


def test_spam_from_the_workspace_and_back_from_the_spam_list(browser_login, live_server, agent, triage_lead):
    ticket = _t1(triage_lead, ContactFactory(email="deals@spam.example"), "Cheap watches")
    page = browser_login(agent, f"/tickets/{ticket.number}/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#mark-spam")
    expect(page.locator("#is-spam")).to_be_visible()
    assert is_blocked("deals@spam.example")
    page.goto(f"{live_server.url}/queues/t1/")
    expect(page.locator(f"#row-{ticket.number}")).to_have_count(0)
    page.goto(f"{live_server.url}/spam/")
    row = page.locator(f"#row-{ticket.number}")
    row.locator("input[name=ticket]").check()
    expect(page.locator("select[name=action] option")).to_have_text(["Not spam"])
    page.click("#bulk-apply")
    expect(page.locator("#bulk-summary")).to_have_text("1 changed.")
    assert Ticket.objects.get(pk=ticket.pk).spam_at is None and not is_blocked("deals@spam.example")


def test_merge_a_likely_duplicate_from_the_workspace(browser_login, live_server, agent, triage_lead):
    contact = ContactFactory()
    first = _t1(triage_lead, contact, "Printer on floor two jams")
    second = _t1(triage_lead, contact, "Printer floor two jams again")
    page = browser_login(agent, f"/tickets/{second.number}/")
    expect(page.locator("#likely-duplicates")).to_contain_text(f"#{first.number}")
    page.fill("#id_into", str(first.number))
    page.click("#merge-submit")
    expect(page).to_have_url(f"{live_server.url}/tickets/{first.number}/")
    expect(page.locator("body")).to_contain_text(f"#{second.number} was merged into #{first.number}")
    assert Ticket.objects.get(pk=second.pk).merged_into_id == first.pk

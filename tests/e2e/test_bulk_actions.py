"""Bulk actions in a real browser: pick three rows (click, shift-click, x), set their priority in one
action, see the rows change and the per-row report."""

import pytest
from playwright.sync_api import expect

from tests.factories import ContactFactory
from tickets import services
from tickets.models import Ticket, Tier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


@pytest.fixture(autouse=True)
def _fresh_filter_choices():
    from django.core.cache import cache

    from tickets.selectors import filter_choices_key

    cache.delete(filter_choices_key())
    yield
    cache.delete(filter_choices_key())


def test_pick_three_rows_and_set_priority(browser_login, live_server, agent, triage_lead):
    contact = ContactFactory(name="Robin Requester")
    made = []
    for subject in ("Printer jam", "VPN drops", "Email bounce", "Left alone"):
        t = services.open_ticket(contact, subject, f"Body of {subject}")
        made.append(services.update_ticket(t, triage_lead, tier=Tier.T1))
    page = browser_login(agent, "/queues/t1/?sort=newest")
    rows = page.locator("#queue-rows tr[data-href]")
    expect(rows).to_have_count(4)
    # newest first: Left alone, Email bounce, VPN drops, Printer jam
    rows.nth(1).locator("input[name=ticket]").click()
    rows.nth(2).locator("input[name=ticket]").click(modifiers=["Shift"])
    rows.nth(3).locator("td").nth(3).click()  # focus the row (the requester cell, not a link) …
    page.keyboard.press("x")  # … and toggle it with x
    expect(page.locator("[data-bulk-count]")).to_have_text("3 selected")
    page.select_option("select[name=action]", "priority")
    expect(page.locator("[data-bulk-params=priority]")).to_be_visible()
    expect(page.locator("[data-bulk-params=status]")).to_be_hidden()
    page.select_option("select[name=priority-priority]", "urgent")
    page.click("#bulk-apply")
    expect(page.locator("#bulk-summary")).to_have_text("3 changed.")
    for row in (rows.nth(1), rows.nth(2), rows.nth(3)):
        expect(row.locator(".prio")).to_have_text("Urgent")
        expect(row.locator("input[name=ticket]")).to_be_checked()  # still picked after the refresh
    expect(rows.nth(0).locator(".prio")).to_have_text("Normal")
    assert sorted(Ticket.objects.filter(priority="urgent").values_list("number", flat=True)) == sorted(
        t.number for t in made[:3]
    )

"""Linked tickets in a real browser: link a child, see its status, resolve the parent with its children."""

import pytest
from playwright.sync_api import expect

from tests.factories import ContactFactory
from tickets import services
from tickets.models import Tier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


def _t(lead, subject):
    t = services.open_ticket(ContactFactory(), subject, f"About {subject}")
    return services.update_ticket(t, lead, tier=Tier.T1)


def test_link_a_child_and_resolve_it_with_the_parent(browser_login, agent, triage_lead):
    parent, child = _t(triage_lead, "Payments outage"), _t(triage_lead, "Card declined")
    page = browser_login(agent, f"/tickets/{parent.number}/")
    page.fill("#link-number", str(child.number))
    page.select_option("#ws-links select[name=relation]", "child")
    page.click("#link-add-button")
    expect(page.locator("#ws-flash")).to_contain_text(f"Linked to #{child.number}")
    expect(page.locator("#link-list")).to_contain_text("Card declined")
    expect(page.locator("#link-list")).to_contain_text("Open")
    page.click("#resolve-children summary")
    page.fill("#resolve-children textarea", "The payments outage is fixed.")
    page.click("#resolve-children-button")
    expect(page.locator("#ws-flash")).to_contain_text(f"its children #{child.number}")
    expect(page.locator("#link-list")).to_contain_text("Resolved")
    expect(page.locator("#ws-status")).to_have_text("Resolved")

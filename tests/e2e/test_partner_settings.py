"""The managers' partner-mail setting in a real browser: change the addresses a team always copies."""

import pytest
from playwright.sync_api import expect

from partners.models import TeamPartnerSettings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_sets_the_always_copied_addresses(browser_login, manager):
    page = browser_login(manager, "/partners/settings/")
    expect(page.locator("#cc-helpdesk")).to_have_value("dev@helpdesk.localhost, tier2@helpdesk.localhost")
    page.fill("#cc-engagement", "sales@helpdesk.localhost, not an address")
    page.click("#save-engagement")
    expect(page.locator("#partner-settings")).to_contain_text("Not an email address: not an address")
    expect(page.locator("#cc-engagement")).to_have_value("sales@helpdesk.localhost, not an address")
    page.fill("#cc-engagement", "sales@helpdesk.localhost")
    page.click("#save-engagement")
    expect(page.locator("body")).to_contain_text("Saved the addresses copied on Engagement's partner mail")
    assert TeamPartnerSettings.objects.get(team__slug="engagement").addresses() == [
        "sales@helpdesk.localhost"
    ]

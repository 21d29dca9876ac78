"""The effort rule in a real browser: an agent estimates a ticket over the limit in the workspace, the
Operations Lead on the rota finds it on the triage screen and decides in the workspace."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from triage.models import EffortReview

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


def test_agent_raises_and_the_lead_decides(browser_login, browser, live_server, page, agent, ticket):
    page = browser_login(agent, ticket.get_absolute_url())
    panel = page.locator("#effort-panel")
    panel.locator("summary").click()
    panel.locator("input[name=estimate_days]").fill("many")
    panel.locator("#effort-form button").click()
    expect(panel).to_contain_text("Give the estimate as a number of days")
    expect(panel.locator("input[name=estimate_days]")).to_have_value("many")
    panel.locator("input[name=estimate_days]").fill("5")
    panel.locator("#effort-form button").click()
    expect(page.locator("#effort-awaiting")).to_have_text("Awaiting operations lead")
    assert EffortReview.objects.get(ticket=ticket).awaiting

    lead = UserFactory(username="olive", role="Triage lead")
    page.goto("about:blank")
    context = browser.new_context(base_url=live_server.url)  # the lead's own browser: no shared cookies
    page = context.new_page()
    page.goto("/accounts/login/?next=/triage/")
    page.fill("#id_username", lead.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#effort-awaiting-list")).to_contain_text(f"#{ticket.number}")
    page.locator("#effort-awaiting-list a").first.click()
    page.locator("#effort-decide-form input[value=go_ahead]").check()
    page.locator("#effort-decide-form button").click()
    expect(page.locator("#effort-panel")).to_contain_text("Decided by")
    expect(page.locator("#effort-awaiting")).to_have_count(0)
    assert not EffortReview.objects.get(ticket=ticket).awaiting
    page.goto("about:blank")
    context.close()

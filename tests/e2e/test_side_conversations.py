"""The side-conversation panel in a real browser: start a thread with a partner, see the partner's emailed
reply appear in it (through the inbound path), record the partner ticket number."""

import pytest
from playwright.sync_api import expect

from partners.models import SideMessage, TeamPartnerSettings
from tests.factories import ContactFactory
from tests.mail.helpers import deliver, make_email
from tickets import services
from tickets.models import Team, Tier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


def test_start_a_side_conversation_and_see_the_partner_reply(browser_login, agent, triage_lead):
    TeamPartnerSettings.objects.update_or_create(
        team=Team.objects.get(slug="helpdesk"),
        defaults={"always_cc": "dev@helpdesk.localhost, tier2@helpdesk.localhost"},
    )
    t = services.open_ticket(ContactFactory(), "Payout missing", "My payout did not arrive.")
    t = services.update_ticket(t, triage_lead, tier=Tier.T2)
    page = browser_login(agent, f"/tickets/{t.number}/")
    page.click("#side-start summary")
    expect(page.locator("#side-cc")).to_contain_text("dev@helpdesk.localhost, tier2@helpdesk.localhost")
    page.fill("#side_partner_email", "api@payments.example")
    page.fill("#side_subject", "Payout batch failed")
    page.fill("#side_body", "Could you check batch 7731?")
    page.click("#side-start-button")
    expect(page.locator("#ws-flash")).to_contain_text("Email to api@payments.example queued")
    panel = page.locator("#ws-side")
    expect(panel).to_contain_text("Could you check batch 7731?")

    out = SideMessage.objects.get()
    deliver(
        make_email(
            sender="api@payments.example",
            body="Fixed on our side, ref PAY-42.",
            headers={"In-Reply-To": out.email_message_id},
        )
    )
    page.reload()
    expect(page.locator("#ws-side .side-in")).to_contain_text("Fixed on our side, ref PAY-42.")
    page.fill("#ws-side .side-partner-ticket", "PAY-42")
    page.locator("#ws-side form.inline button").click()
    expect(page.locator("#ws-flash")).to_contain_text("Partner ticket number saved")
    expect(page.locator("#ws-side summary").first).to_contain_text("ref. PAY-42")
    expect(page.locator("#ws-conversation")).not_to_contain_text("Fixed on our side")

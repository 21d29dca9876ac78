"""Macros in a real browser: preview next to the reply box, apply in one click, the workspace updates;
the manage screen; an invalid macro explained."""

import re

import pytest
from playwright.sync_api import expect

from macros.models import Macro
from tests.factories import ContactFactory, TeamFactory
from tickets import services
from tickets.models import Tier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


@pytest.fixture
def t1_ticket(triage_lead):
    t = services.open_ticket(ContactFactory(name="Robin Requester"), "Want to try it", "Do you have a trial?")
    return services.update_ticket(t, triage_lead, tier=Tier.T1)


def test_preview_and_apply_a_macro_from_the_reply_box(browser_login, agent, t1_ticket):
    Macro.objects.create(
        title="Trial offer",
        body="Hi {{ requester.first_name }}, start a free trial today.",
        priority="high",
        add_tags="prospect",
    )
    page = browser_login(agent, f"/tickets/{t1_ticket.number}/")
    page.select_option("#macro-select", label="Trial offer")
    page.click("#macro-preview-button")
    changes = page.locator("#macro-changes")
    expect(changes).to_contain_text("Priority: Normal → High")
    expect(changes).to_contain_text("Tags: none → prospect")
    expect(changes).to_contain_text("Hi Robin, start a free trial today.")
    page.click("#macro-apply-button")
    expect(page.locator("#ws-flash")).to_contain_text("Macro “Trial offer” applied")
    expect(page.locator("#ws-header")).to_contain_text("High")
    expect(page.locator("#ws-conversation .message.public").last).to_contain_text("start a free trial today")
    expect(page.locator("#macro-changes")).to_have_count(0)  # the preview is gone after applying


def test_invalid_macro_is_explained_in_the_preview(browser_login, agent, t1_ticket):
    team = TeamFactory(name="Partners desk", slug="partners-desk")
    Macro.objects.create(title="To partners desk", team_slug="partners-desk")
    team.delete()
    page = browser_login(agent, f"/tickets/{t1_ticket.number}/")
    page.select_option("#macro-select", label="To partners desk")
    page.click("#macro-preview-button")
    expect(page.locator("#macro-error")).to_contain_text("no longer exists")
    expect(page.locator("#macro-apply-button")).to_have_count(0)


def test_close_the_preview_without_applying(browser_login, agent, t1_ticket):
    Macro.objects.create(title="Low prio", priority="low")
    page = browser_login(agent, f"/tickets/{t1_ticket.number}/")
    page.select_option("#macro-select", label="Low prio")
    page.click("#macro-preview-button")
    expect(page.locator("#macro-changes")).to_contain_text("Priority: Normal → Low")
    page.click("#macro-preview-close")
    expect(page.locator("#macro-changes")).to_have_count(0)
    t1_ticket.refresh_from_db()
    assert t1_ticket.priority == "normal"


def test_staff_create_a_macro(browser_login, live_server, agent):
    page = browser_login(agent, "/macros/new/")
    page.fill("#id_title", "Ask for a screenshot")
    page.fill("#id_body", "Could you send a screenshot, {{ requester.first_name }}?")
    page.select_option("#id_status", "waiting")
    page.click("#save-macro")
    expect(page).to_have_url(re.compile(r"/macros/$"))
    expect(page.locator("#macro-list")).to_contain_text("Ask for a screenshot")
    expect(page.locator("#macro-list")).to_contain_text("status Waiting on customer")


def test_select_three_rows_and_apply_a_macro(browser_login, live_server, agent, triage_lead):
    from django.core.cache import cache

    from tickets.selectors import filter_choices_key

    cache.delete(filter_choices_key())
    Macro.objects.create(title="Bump to urgent", priority="urgent", note="Bulk: bumped.")
    contact = ContactFactory(name="Robin Requester")
    for subject in ("Printer jam", "VPN drops", "Email bounce", "Left alone"):
        services.update_ticket(
            services.open_ticket(contact, subject, f"Body of {subject}"), triage_lead, tier=Tier.T1
        )
    page = browser_login(agent, "/queues/t1/?sort=newest")
    rows = page.locator("#queue-rows tr[data-href]")
    expect(rows).to_have_count(4)
    for i in (1, 2, 3):
        rows.nth(i).locator("input[name=ticket]").click()
    expect(page.locator("[data-bulk-count]")).to_have_text("3 selected")
    page.select_option("select[name=action]", "macro")
    page.select_option("select[name=macro-macro]", label="Bump to urgent — internal note, priority Urgent")
    page.click("#bulk-apply")
    expect(page.locator("#bulk-summary")).to_have_text("3 changed.")
    for i in (1, 2, 3):
        expect(rows.nth(i).locator(".prio")).to_have_text("Urgent")
    expect(rows.nth(0).locator(".prio")).to_have_text("Normal")

"""Playwright for the remaining screens people use: the project backlog, sending a ticket to Engagement,
escalating down with a review tag, the one-click holding reply, and a saved queue view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sla.models import TicketSlaState
from tickets import services as core
from tickets.models import Tier
from triage import services as triage

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("celery_eager")]


def test_lead_reads_the_project_backlog(browser_login, live_server, triage_lead, manager, ticket):
    ticket.organization.programme_delivery_manager = manager
    ticket.organization.save()
    triage.triage_project(
        ticket=ticket, actor=triage_lead, message="This is project work; your PDM will call."
    )
    page = browser_login(triage_lead, "/triage/backlog/")
    expect(page.locator("h1")).to_have_text("Project backlog")
    row = page.locator("table.tickets tbody tr").first
    expect(row).to_contain_text(f"#{ticket.number}")
    expect(row).to_contain_text("Cannot sync calendar")


def test_agent_sends_a_business_question_to_engagement(browser_login, live_server, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    page = browser_login(agent, f"/escalation/tickets/{ticket.number}/")
    panel = page.locator("section[aria-label='Send to another team']")
    panel.locator("summary", has_text="Engagement").click()
    panel.locator("select[name=reason]").select_option("account_closure")
    panel.get_by_role("button", name="Send to Engagement").click()
    expect(page.locator(".flash")).to_contain_text("Sent to Engagement.")
    ticket.refresh_from_db()
    assert ticket.team.slug == "engagement" and ticket.assignee is None
    assert ticket.events.get(verb="sent_to_engagement").data["reason"] == "account_closure"


def test_engineer_escalates_down_with_missed_doc_review(browser_login, live_server, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T3)
    page = browser_login(agent, f"/escalation/tickets/{ticket.number}/")
    form = page.locator("section[aria-label='Escalate down'] form")
    form.locator("select[name=to_tier]").select_option("t1")
    form.locator("textarea[name=note]").fill("The answer is in the sync guide: re-enter the iCal URL.")
    form.locator("input[name=doc_url]").fill("https://docs.example.com/sync")
    form.locator("input[name=missed_doc_review]").check()
    form.get_by_role("button", name="Send back").click()
    expect(page.locator(".flash")).to_contain_text("Sent back to T1")
    assert "Missed Doc Review" in set(ticket.tags.values_list("name", flat=True))


def test_owner_sends_the_offered_holding_reply(browser_login, live_server, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T3, assignee=agent)
    TicketSlaState.objects.update_or_create(
        ticket=ticket,
        defaults={"holding_reply": "We're still looking into this and will update you tomorrow."},
    )
    page = browser_login(agent, f"/tickets/{ticket.number}/")
    page.locator("#sla-holding-send").click()
    expect(page.locator(".flash")).to_contain_text("Holding reply sent to the requester.")
    expect(page.locator(".message.public").last).to_contain_text("still looking into this")


def test_agent_saves_and_reopens_a_queue_view(browser_login, live_server, agent):
    page = browser_login(agent, "/queues/all/?priority=high")
    form = page.locator("form.save-view")
    form.locator("input[name=name]").fill("Urgent everywhere")
    form.get_by_role("button", name="Save view").click()
    link = page.locator("#saved-views a", has_text="Urgent everywhere")
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(f"{live_server.url}/queues/all/?priority=high")

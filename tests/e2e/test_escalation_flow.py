"""Playwright: escalate T1 → T3 with two questions; link a known issue; a manager posts on the status
page and resolves the known issue with one bulk reply; the public status page shows the post."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tickets import services as core
from tickets.models import Tier

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_agent_escalates_with_two_questions(browser_login, live_server, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    page = browser_login(agent, f"/escalation/tickets/{ticket.number}/")
    expect(page.locator(".esc-timebox")).to_contain_text("5 min to find the solution")
    expect(page.locator(".esc-elapsed")).to_have_text(
        re.compile(r"^0:0\d on this ticket — finding the solution")
    )
    expect(page.locator(".esc-advice")).to_be_hidden()
    form = page.locator("form.esc-up-form")
    form.locator("select[name=to_tier]").select_option("t3")
    form.locator("textarea[name=question_1]").fill("Why does the Airbnb feed return 500?")
    form.locator("textarea[name=question_2]").fill("Is the iCal URL still valid?")
    form.locator("textarea[name=findings]").fill("Feed fetch fails since Monday.")
    form.get_by_role("button", name="Escalate").click()
    expect(page.locator(".flash")).to_contain_text("Escalated to T3")
    note = page.locator(".message.internal").last
    expect(note).to_contain_text("ESCALATED QUESTION 1")
    expect(note).to_contain_text("ESCALATED QUESTION 2")
    expect(note).to_contain_text("Is the iCal URL still valid?")
    expect(page.locator(".message.public").last).to_contain_text("passed your question on to a specialist")
    expect(page.locator("p.meta").first).to_contain_text("T3")


def test_escalating_without_a_question_shows_the_error(browser_login, live_server, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    page = browser_login(agent, f"/escalation/tickets/{ticket.number}/")
    page.locator("form.esc-up-form").get_by_role("button", name="Escalate").click()
    expect(page.locator("form.esc-up-form .errorlist")).to_contain_text(
        "Write at least one escalated question"
    )


def test_known_issue_link_resolve_broadcast_and_status_page(
    browser_login, live_server, agent, manager, ticket
):
    core.update_ticket(ticket, None, tier=Tier.T2)
    page = browser_login(manager, "/known-issues/")
    form = page.locator("#new-known-issue form")
    form.locator("input[name=title]").fill("Airbnb calendar sync delayed")
    form.locator("input[name=short_name]").fill("airbnb sync")
    form.get_by_role("button", name="Create").click()
    expect(page.locator("h1")).to_contain_text("KI-1 Airbnb calendar sync delayed")
    # link the ticket from the ticket's escalation panel
    page.goto(f"{live_server.url}/escalation/tickets/{ticket.number}/")
    panel = page.locator("section[aria-label='Known issue']")
    panel.locator("input[name=known_issue]").fill("1")
    panel.get_by_role("button", name="Link and tag").click()
    expect(page.locator(".flash")).to_contain_text("tagged 1-airbnb-sync")
    # publish on the status page, then resolve with the bulk reply
    page.goto(f"{live_server.url}/known-issues/1/")
    expect(page.locator("section[aria-label='Linked tickets']")).to_contain_text(f"#{ticket.number}")
    post = page.locator("#status-post form")
    post.locator("select[name=post]").select_option("known_issue")
    post.locator("textarea[name=text]").fill("Calendar sync with Airbnb is delayed. We are on it.")
    post.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash")).to_contain_text("Status page updated")
    resolve = page.locator("#resolve form")
    resolve.locator("textarea[name=reply]").fill("Good news: calendar sync works again.")
    resolve.get_by_role("button", name="Resolve known issue").click()
    expect(page.locator("#resolve")).to_contain_text("Write what the public reads now that it is fixed")
    resolve.locator("textarea[name=post_text]").fill("Calendar sync with Airbnb works again.")
    resolve.get_by_role("button", name="Resolve known issue").click()
    expect(page.locator(".flash")).to_contain_text("replying to 1 tickets")
    page.reload()
    expect(page.locator(".esc-broadcast")).to_contain_text("1 sent")
    assert (
        ticket.messages.filter(body="Good news: calendar sync works again.", visibility="public").count() == 1
    )
    # the public status page, signed out
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/status/")
    expect(page).to_have_url(re.compile(r"/status/$"))
    expect(page.locator(".esc-post")).to_contain_text("Calendar sync with Airbnb works again.")
    expect(page.locator(".esc-post")).not_to_contain_text("We are on it")
    expect(page.locator(".esc-post")).to_contain_text("Resolved")
    expect(page.locator("body")).not_to_contain_text("airbnb-sync")


def test_time_box_runs_from_when_the_owner_took_the_ticket(browser_login, live_server, agent, ticket):
    import datetime as dt

    from tickets.models import Ticket

    core.update_ticket(ticket, None, tier=Tier.T1)
    core.update_ticket(ticket, agent, assignee=agent)
    earlier = dt.timedelta(minutes=12)
    Ticket.objects.filter(pk=ticket.pk).update(tier_entered_at=ticket.tier_entered_at - earlier)
    ticket.events.filter(verb="assignee_changed").update(at=ticket.tier_entered_at - earlier)
    page = browser_login(agent, f"/escalation/tickets/{ticket.number}/")
    expect(page.locator(".esc-elapsed")).to_have_text(
        re.compile(r"^12:\d\d on this ticket — over the time box")
    )
    expect(page.locator(".esc-advice")).to_be_visible()

"""Docs-first answers in a real browser: an agent inserts a suggested article into a reply and resolves;
the requester follows the link, finds it helpful and rates the answer from the email's one-click link.
And a requester typing a new request is offered an article that answers it (a deflection)."""

import re

import pytest
from playwright.sync_api import expect

from knowledge import services as kb
from knowledge.models import Category, Citation, Deflection, Rating, Vote
from tests.factories import PASSWORD, ContactFactory, requester_user
from tickets import services
from tickets.models import Notification, Tier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article(manager):
    category = Category.objects.create(name="Calendar", slug="calendar")
    return kb.save_article(
        manager,
        {
            "title": "Reconnect your calendar",
            "summary": "Open Settings, then Integrations, and press Reconnect next to your calendar.",
            "body": "1. Open **Settings**\n2. Choose **Integrations**\n3. Press **Reconnect**",
            "audience": "public",
            "status": "published",
            "category": category,
        },
    )


def _sign_in(browser, live_server, user):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    return page


def test_agent_inserts_article_requester_follows_and_rates(
    browser_login, browser, live_server, settings, agent, triage_lead, article
):
    settings.HELPDESK_BASE_URL = live_server.url
    contact = ContactFactory(name="Robin Requester")
    ticket = services.open_ticket(contact, "Calendar stopped syncing", "How do I reconnect my calendar?")
    services.update_ticket(ticket, triage_lead, tier=Tier.T1, assignee=agent)

    page = browser_login(agent, f"/tickets/{ticket.number}/")
    panel = page.locator("#kb-suggested")
    expect(panel).to_contain_text("Reconnect your calendar")
    page.fill("#id_body", "Hi Robin,")
    panel.locator(".kb-insert").first.click()
    expect(page.locator("#id_body")).to_have_value(
        re.compile(r"Hi Robin,\n\nOpen Settings.*/help/articles/", re.S)
    )
    page.select_option("#id_reply_status", "resolved")
    page.click("#send")
    expect(page.locator("#ws-conversation .message.public").last).to_contain_text(article.get_absolute_url())
    assert Citation.objects.filter(article=article, message__ticket=ticket).count() == 1

    requester = requester_user(contact)
    portal = _sign_in(browser, live_server, requester)
    portal.goto(f"{live_server.url}/tickets/{ticket.number}/")
    text = portal.locator(".conversation .message.public").last.inner_text()
    url = re.search(r"https?://\S+/help/articles/[\w-]+/", text).group(0)
    portal.goto(url)
    expect(portal.locator("#kb-article h1")).to_have_text("Reconnect your calendar")
    portal.click("#kb-helpful-yes")
    expect(portal.locator("#kb-vote")).to_contain_text("Thanks for telling us")
    assert Vote.objects.filter(article=article, helpful=True).count() == 1

    email = Notification.objects.get(reason="reply", ticket=ticket)  # the answer carries the rating
    good = re.search(r"Good: (\S+)", email.body).group(1)
    portal.goto(good)
    expect(portal.locator("#rating-thanks")).to_contain_text("good")
    portal.fill("textarea[name=comment]", "Clear steps, thank you.")
    portal.click("#rating-comment-send")
    expect(portal.locator("#rating-comment-thanks")).to_be_visible()
    portal.goto(good)  # the link reused: nothing stored twice
    expect(portal.locator("#rating-already")).to_be_visible()
    rating = Rating.objects.get()
    assert (rating.score, rating.comment, rating.agent_id) == ("good", "Clear steps, thank you.", agent.pk)
    portal.goto(f"{live_server.url}/tickets/{ticket.number}/")
    expect(portal.locator("#kb-rating")).to_contain_text("You rated this request good")


def test_request_form_offers_articles_and_counts_the_deflection(browser, live_server, article):
    requester = requester_user(ContactFactory())
    page = _sign_in(browser, live_server, requester)
    page.goto(f"{live_server.url}/requests/new/")
    page.fill("#id_subject", "calendar will not reconnect")
    suggestions = page.locator("#kb-suggest")
    expect(suggestions).to_contain_text("Reconnect your calendar")
    suggestions.locator(".kb-answered").first.click()
    expect(page.locator("#kb-deflected")).to_contain_text("no need to send the request")
    assert Deflection.objects.filter(article=article, user=requester).count() == 1


def test_manager_turns_a_proposal_into_an_article_found_by_search(browser_login, live_server, manager, agent):
    contact = ContactFactory()
    ticket = services.open_ticket(contact, "Export to CSV", "How do I export my tickets?")
    answer = services.add_reply(ticket, agent, "Open Reports, choose Export and pick CSV.")
    kb.propose(agent, "user_doc", message=answer)

    page = browser_login(manager, "/kb/proposals/")
    expect(page.locator("#kb-proposals")).to_contain_text(f"#{ticket.number}")
    page.click("text=Write the article")
    expect(page.locator("#kb-from-proposal")).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("Open Reports, choose Export and pick CSV.")
    page.fill("#id_title", "Export your tickets to CSV")
    page.select_option("#id_status", "published")
    page.click("#kb-save")
    expect(page.locator(".flash")).to_contain_text("Saved")

    page.goto(f"{live_server.url}/help/")
    page.fill("#kb-q", "export tickets csv")
    page.press("#kb-q", "Enter")
    expect(page.locator("#kb-results li").first).to_contain_text("Export your tickets to CSV")
    page.fill("#kb-q", "exporrt")
    page.press("#kb-q", "Enter")
    expect(page.locator("#kb-did-you-mean")).to_contain_text("Export your tickets to CSV")

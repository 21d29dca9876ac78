"""Notification screens in a browser: preferences, @mention autocomplete in the reply box, the Product
list, and a manager configuring a chat hook (bad address refused, typed text kept) and its delivery log."""

import pytest
from playwright.sync_api import expect

from escalation.services import routing
from tests.factories import UserFactory
from tickets.models import Notification, Team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]


def test_preferences_are_saved(browser_login, live_server, agent):
    page = browser_login(agent, "/notifications/preferences/")
    expect(page.locator("main")).to_contain_text("Pages always reach you")
    page.check("input[name=followed][value=email]")
    page.click("main form button.primary")
    expect(page.locator(".flash")).to_contain_text("saved")
    expect(page.locator("input[name=followed][value=email]")).to_be_checked()


def test_mention_autocomplete_and_notice(browser_login, live_server, agent, ticket):
    paula = UserFactory(username="paula", first_name="Paula", last_name="Hall", role="Agent")
    page = browser_login(agent, ticket.get_absolute_url())
    page.check("input[name=visibility][value=internal]")
    page.click("#ws-reply textarea[name=body]")
    page.keyboard.type("Please check @pau")
    expect(page.locator("#mention-help .mention-pick")).to_have_text("@paula")
    page.click("#mention-help .mention-pick")
    expect(page.locator("#ws-reply textarea[name=body]")).to_have_value("Please check @paula ")
    page.keyboard.type("and @nobody")
    expect(page.locator("#mention-unknown")).to_contain_text("@nobody")
    page.click("#send")
    expect(page.locator(".conversation")).to_contain_text("Please check @paula and @nobody")
    assert Notification.objects.filter(recipient_user=paula, reason="mention").count() == 1


def test_product_list_shows_handed_over_tickets(browser_login, live_server, agent, ticket):
    Team.objects.get(slug="product").members.add(agent)
    routing.notify_product(
        ticket, UserFactory(username="other", role="Agent"), note="Customers ask for exports"
    )
    page = browser_login(agent, "/product/")
    expect(page.locator("#product-list")).to_contain_text(ticket.subject)
    page.select_option("select[name=kind]", "bug")
    page.click("#product-filters button")
    expect(page.locator("#product-list")).to_contain_text("No tickets here")
    expect(page.locator("#bell .bell-count")).to_have_text("1")


def test_manager_adds_a_chat_hook(browser_login, live_server, manager):
    page = browser_login(manager, "/chat-hooks/")
    page.click("#new-webhook")
    page.fill("#id_name", "Ops channel")
    page.fill("#id_url", "ftp://example.com/hook")
    page.click("#webhook-form button.primary")
    expect(page.locator("#webhook-form .errorlist")).to_contain_text("http://")
    expect(page.locator("#id_name")).to_have_value("Ops channel")
    page.fill("#id_url", "https://hooks.slack.com/services/T0/B0/x")
    page.click("#webhook-form button.primary")
    expect(page.locator("table.tickets")).to_contain_text("Ops channel")
    page.click("text=Delivery log")
    expect(page.locator("#deliveries")).to_contain_text("No deliveries")

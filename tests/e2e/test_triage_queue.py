"""Triage in a real browser: a lead approves with the keyboard and with one click (rows swap in place),
marks a ticket as project work, sees the unauthorised-requester flag and splits a message."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ContactFactory, OrganizationFactory, UserFactory
from tickets import services as ticket_services
from tickets.models import Kind, Notification, Status, Ticket, Tier
from triage.models import AuthorisationRequest, ProjectItem

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org():
    pdm = UserFactory(username="pdm", role="Manager", first_name="Pat", last_name="Delivery")
    return OrganizationFactory(name="Blue Lake Rentals", programme_delivery_manager=pdm)


@pytest.fixture
def requester(org):
    return ContactFactory(organization=org, name="Una Requester", is_authorised=False)


def _row(page, ticket):
    return page.locator(f"#triage-row-{ticket.number}")


def _open(page, ticket):
    """Open a row: its decision forms are fetched when it is focused (issue #16)."""
    _row(page, ticket).locator(".subject").click()
    expect(_row(page, ticket).locator("form.approve")).to_be_visible()
    return _row(page, ticket)


def test_lead_approves_with_keyboard_and_one_click(browser_login, live_server, triage_lead, requester):
    first = ticket_services.open_ticket(requester, "Calendar not syncing", "Since Monday.")
    second = ticket_services.open_ticket(requester, "Guest cannot pay", "Card declined.")
    page = browser_login(triage_lead, "/triage/")
    expect(page.locator("h1")).to_contain_text("Triage")
    page.evaluate("window.__noReload = true")

    _open(page, first).locator("select[name=tier]").select_option("t2")
    _row(page, first).locator(".subject").click()
    page.keyboard.press("a")
    expect(_row(page, first)).to_contain_text(re.compile(rf"#{first.number} approved for T2 — by "))
    expect(_row(page, first)).to_have_class(re.compile("triage-done"))

    _open(page, second).get_by_role("button", name="Approve").click()
    expect(_row(page, second)).to_contain_text("approved for T1")
    assert page.evaluate("window.__noReload") is True  # swapped in place, no page load
    assert Ticket.objects.get(pk=first.pk).tier == Tier.T2
    assert Ticket.objects.get(pk=second.pk).triage_decision == "approved"


def test_lead_marks_project_work(browser_login, live_server, triage_lead, requester, org):
    ticket = ticket_services.open_ticket(requester, "Rebuild the booking flow", "A whole new flow, please.")
    page = browser_login(triage_lead, "/triage/")
    _row(page, ticket).locator(".subject").click()
    page.keyboard.press("p")
    message = _row(page, ticket).locator("textarea[name=message]")
    expect(message).to_be_focused()
    expect(message).to_have_value(re.compile("project work"))
    _row(page, ticket).get_by_role("button", name="Send, add to backlog, resolve").click()
    expect(_row(page, ticket)).to_contain_text("marked as project work")

    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.triage_decision == "project"
    assert "A whole new flow, please." in ProjectItem.objects.get(ticket=ticket).content
    assert Notification.objects.filter(
        ticket=ticket, recipient_email=requester.email, reason="reply"
    ).exists()
    assert Notification.objects.filter(ticket=ticket, recipient_user=org.programme_delivery_manager).exists()


def test_unauthorised_change_request_is_flagged_until_confirmed(
    browser_login, live_server, triage_lead, requester, org
):
    boss = ContactFactory(organization=org, name="Olive Owner", is_authorised=True)
    ticket = ticket_services.open_ticket(
        requester, "Change the payout account", "New bank details attached.", kind=Kind.CHANGE_REQUEST
    )
    page = browser_login(triage_lead, "/triage/")
    expect(_row(page, ticket).get_by_test_id("auth-flag")).to_have_text("Not an authorised contact")
    row = _open(page, ticket)
    expect(row.get_by_role("button", name="Approve")).to_be_disabled()
    row.get_by_role("button", name="Ask to confirm").click()
    expect(_row(page, ticket)).to_contain_text("Waiting for an authorised contact to confirm")

    # The authorised contact follows the emailed link (no sign-in needed) and confirms.
    token = AuthorisationRequest.objects.get(ticket=ticket, requested_from=boss).token
    page.goto(f"{live_server.url}/triage/authorise/{token}/")
    page.get_by_role("button", name="Confirm the change request").click()
    expect(page.locator("[role=status]")).to_contain_text("you confirmed this change request")

    page.goto(f"{live_server.url}/triage/")
    row = _open(page, ticket)
    expect(row).to_contain_text("Confirmed by an authorised contact")
    row.get_by_role("button", name="Approve").click()
    expect(_row(page, ticket)).to_contain_text("approved for T1")


def test_split_a_message_into_a_new_ticket(browser_login, live_server, triage_lead, requester):
    ticket = ticket_services.open_ticket(requester, "Calendar not syncing", "Since Monday.")
    question = ticket_services.add_requester_reply(ticket, requester, "Unrelated: how do I export invoices?")
    page = browser_login(triage_lead, f"/triage/split/{ticket.number}/")
    page.locator(f"input[name=message][value='{question.pk}']").check()
    page.fill("input[name=subject]", "Export invoices")
    page.get_by_role("button", name="Split into a new ticket").click()
    new = Ticket.objects.get(split_from=ticket)
    expect(page).to_have_url(re.compile(rf"/tickets/{new.number}/$"))
    assert new.subject == "Export invoices" and new.tier == Tier.TRIAGE and new.assignee is None
    assert new.messages.first().body == "Unrelated: how do I export invoices?"


def test_lead_answers_now_with_a_personalised_canned_answer(
    browser_login, live_server, triage_lead, requester
):
    ticket = ticket_services.open_ticket(requester, "2FA code never arrives", "No text message since Monday.")
    page = browser_login(triage_lead, "/triage/")
    row = _open(page, ticket)
    row.locator("details[data-action=answer] summary").click()
    row.locator("select.canned").select_option(label="First response")
    answer = row.locator("textarea[name=body]")
    expect(answer).to_have_value(re.compile(r"^Hi Una,"))  # filled in for this requester by the server
    expect(answer).to_have_value(re.compile("2FA code never arrives"))
    row.get_by_role("button", name=re.compile("Send")).click()
    expect(row).to_have_class(re.compile("triage-done"))
    assert ticket.messages.filter(visibility="public", body__startswith="Hi Una,").exists()


def test_triage_keeps_up_sort_search_and_rows_opened_on_demand(
    browser_login, live_server, triage_lead, requester
):
    old = ticket_services.open_ticket(requester, "Calendar not syncing", "Since Monday.")
    new = ticket_services.open_ticket(requester, "Guest cannot pay", "Card declined.", priority="urgent")
    page = browser_login(triage_lead, "/triage/")
    expect(page.locator("#triage-count")).to_have_text("2 waiting")
    page.select_option("#triage-filters select[name=sort]", "newest")
    page.click("#triage-filters button[type=submit]")
    expect(page.locator("tr.triage-row").first).to_have_id(f"triage-row-{new.number}")
    page.fill("#triage-filters input[name=q]", "calendar")
    page.click("#triage-filters button[type=submit]")
    expect(page.locator("#triage-count")).to_have_text("1 match of 2 waiting")
    expect(page.locator("tr.triage-row")).to_have_count(1)
    row = _row(page, old)
    # The page opens its first row on load, so "Decide…" may already have been replaced by the forms.
    page.evaluate(f"document.querySelector('#triage-row-{old.number} [data-open-row]')?.click()")
    expect(row.locator("form.approve")).to_be_visible()  # the forms came with the opened row
    row.get_by_role("button", name="Approve").click()
    expect(_row(page, old)).to_contain_text("approved for T1")


def test_ticking_a_closed_row_keeps_the_tick_when_its_forms_arrive(
    browser_login, live_server, triage_lead, requester
):
    tickets = [ticket_services.open_ticket(requester, f"Question {n}", "Body.") for n in range(3)]
    page = browser_login(triage_lead, "/triage/")
    for t in tickets[1:]:
        _row(page, t).locator("input[type=checkbox]").click()
        expect(_row(page, t).locator("form.approve")).to_be_visible()  # the row opened on focus
        expect(_row(page, t).locator("input[type=checkbox]")).to_be_checked()
    page.select_option("#bulk-form select[name=tier]", "t2")
    page.click("#bulk-form button[value=approve]")
    expect(page.locator("#triage-count")).to_have_text("1 waiting")
    assert {t.tier for t in Ticket.objects.filter(pk__in=[t.pk for t in tickets[1:]])} == {Tier.T2}
    assert Ticket.objects.get(pk=tickets[0].pk).tier == Tier.TRIAGE

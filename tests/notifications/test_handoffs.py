"""The account-manager action and "page on-call now" (major outage)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from escalation.models import OnCallShift
from notifications.models import Webhook, WebhookDelivery
from tests.factories import UserFactory
from tickets import outbox
from tickets.models import Notification, Priority, Tier

pytestmark = pytest.mark.django_db


def test_account_manager_is_told_with_a_note(login, agent, ticket, notices):
    am = UserFactory(username="am", role="Agent")
    ticket.organization.account_manager = am
    ticket.organization.save()
    response = login(agent).post(
        reverse("notifications:account_manager", args=[ticket.number]),
        {"note": "Client is very upset about the outage", "version": ticket.version},
    )
    assert response.status_code == 302
    assert notices("account_manager") == {"am": 1}
    assert "very upset" in ticket.messages.last().body


def test_account_manager_missing_keeps_the_text(login, agent, ticket):
    response = login(agent).post(
        reverse("notifications:account_manager", args=[ticket.number]),
        {"note": "Upset client", "version": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "no account manager" in body and "Upset client" in body


def test_page_oncall_now_pages_at_once_and_posts_to_chat(login, agent, ticket, settings):
    settings.HELPDESK_BASE_URL = "https://help.example.com"
    oncall = UserFactory(username="oc", role="Agent", email="oc@staff.example")
    now = timezone.now()
    OnCallShift.objects.create(
        user=oncall, starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1)
    )
    Webhook.objects.create(name="chat", url="https://chat.example.com/hook", format="slack")
    response = login(agent).post(
        reverse("notifications:page_oncall", args=[ticket.number]),
        {"note": "Everything is down", "version": ""},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.tier == Tier.ONCALL and ticket.priority == Priority.URGENT
    assert Notification.objects.filter(recipient_user=oncall, reason="oncall_page_now").count() == 2
    outbox.send_pending()
    page = next(m for m in mail.outbox if "PAGE NOW" in m.body)
    assert f"https://help.example.com/tickets/{ticket.number}/" in page.body
    deliveries = list(WebhookDelivery.objects.values_list("title", flat=True))
    assert len(deliveries) == 1 and deliveries[0].startswith("PAGE NOW")


def test_page_oncall_now_needs_a_note(login, agent, ticket):
    response = login(agent).post(reverse("notifications:page_oncall", args=[ticket.number]), {"note": ""})
    assert response.status_code == 400


def test_product_list_filters_and_warns(
    login, agent, ticket, make_ticket_kind, django_assert_max_num_queries
):
    from escalation.services import routing as esc

    esc.notify_product(ticket, agent, note="Customers ask for this")
    bug = make_ticket_kind("Export crashes", "bug")
    esc.notify_product(bug, agent, note="Many reports")
    client = login(agent)
    client.get(reverse("notifications:product"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("notifications:product")).content.decode()
    assert ticket.subject in page and "Export crashes" in page and "check</span>" in page
    only_bugs = client.get(reverse("notifications:product"), {"kind": "bug"}).content.decode()
    assert ticket.subject not in only_bugs and "Export crashes" in only_bugs


@pytest.fixture
def make_ticket_kind(db):
    from tests.factories import ContactFactory
    from tickets import services as core

    def _make(subject, kind):
        return core.open_ticket(ContactFactory(), subject, "body", kind=kind)

    return _make


def test_routing_panel_warns_product_handoff_for_bugs(login, agent, make_ticket_kind):
    bug = make_ticket_kind("Export crashes", "bug")
    page = login(agent).get(bug.get_absolute_url()).content.decode()
    assert 'id="product-kind-warning"' in page

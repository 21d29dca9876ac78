"""Email digests: one email per recipient for the updates of a short window, and never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from notifications import digest, preferences, services
from tickets import outbox
from tickets.models import Notification

pytestmark = pytest.mark.django_db


def test_updates_within_the_window_come_as_one_email(agent, ticket, settings):
    settings.HELPDESK_BASE_URL = "https://help.example.com"
    preferences.save(agent, {"followed": "both", "mentions": "email"})
    for i in range(3):
        services.notify([agent], "followed_reply", ticket, f"update {i}", key=f"d{i}")
    services.notify([agent], "mention", ticket, "you were mentioned", key="m1")
    services.notify([agent], "assigned", ticket, "not chosen for email", key="a1")
    now = Notification.objects.latest("id").created_at
    assert digest.send_digests(now + dt.timedelta(seconds=30))["waiting"] == 1  # too early: more may come
    result = digest.send_digests(now + dt.timedelta(minutes=6))
    assert result["sent"] == 1
    outbox.send_pending()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "4 updates from the helpdesk"
    assert "update 0" in body and "you were mentioned" in body and "not chosen" not in body
    assert f"https://help.example.com/tickets/{ticket.number}/" in body
    # run again: nothing new, nothing sent
    assert digest.send_digests(now + dt.timedelta(minutes=12))["sent"] == 0
    outbox.send_pending()
    assert len(mail.outbox) == 1


def test_in_app_only_people_get_no_email(agent, ticket):
    services.notify([agent], "followed_reply", ticket, "x", key="k")
    assert digest.send_digests()["sent"] == 0

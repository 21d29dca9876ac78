"""Issue #15 item 2: no notification stuck in "sending". A claim is a lease; an expired claim is retried;
a failed send is retried; after N attempts the row is failed and the managers are told (once)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory
from tickets import outbox, services
from tickets.models import Notification


@pytest.fixture
def queued(ticket, agent):
    services.add_reply(ticket, agent, "Answer")
    return Notification.objects.get(channel="email")


def _claimed(row: Notification, minutes_ago: float, attempts: int = 1) -> None:
    """What a worker killed between claiming and sending leaves behind."""
    Notification.objects.filter(pk=row.pk).update(
        state="sending", attempts=attempts, claimed_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_a_claim_inside_its_lease_is_left_alone(queued):
    _claimed(queued, minutes_ago=1)
    assert outbox.send_pending() == 0 and not mail.outbox
    assert Notification.objects.get(pk=queued.pk).state == "sending"


def test_an_expired_claim_is_sent_again(queued, settings):
    settings.HELPDESK_OUTBOX_LEASE_SECONDS = 300
    _claimed(queued, minutes_ago=6)
    assert outbox.send_pending() == 1 and len(mail.outbox) == 1
    row = Notification.objects.get(pk=queued.pk)
    assert (row.state, row.attempts, row.claimed_at) == ("sent", 2, None)
    assert "claim expired" in row.error
    assert outbox.send_pending() == 0 and len(mail.outbox) == 1  # run twice: still one mail


def test_an_expired_claim_on_its_last_attempt_fails_and_tells_the_managers(queued, settings):
    settings.HELPDESK_OUTBOX_MAX_ATTEMPTS = 3
    manager = UserFactory(username="boss", role="Manager")
    _claimed(queued, minutes_ago=60, attempts=3)
    outbox.send_pending()
    outbox.send_pending()
    assert Notification.objects.get(pk=queued.pk).state == "failed" and not mail.outbox
    told = Notification.objects.filter(recipient_user=manager, reason="outbox_failed")
    assert told.count() == 1 and f"#{queued.ticket.number}" in told.get().body


def test_a_failing_mail_server_is_retried_then_given_up(queued, settings):
    settings.EMAIL_BACKEND = "tests.tickets.broken_mail.Backend"
    settings.HELPDESK_OUTBOX_MAX_ATTEMPTS = 3
    manager = UserFactory(username="boss", role="Manager")
    states = []
    for _ in range(4):
        outbox.send_pending()
        states.append(Notification.objects.get(pk=queued.pk).state)
    assert states == ["pending", "pending", "failed", "failed"]
    row = Notification.objects.get(pk=queued.pk)
    assert row.attempts == 3 and "SMTP down" in row.error
    assert Notification.objects.filter(recipient_user=manager, reason="outbox_failed").count() == 1


def test_the_server_coming_back_sends_the_retry(queued, settings):
    settings.EMAIL_BACKEND = "tests.tickets.broken_mail.Backend"
    outbox.send_pending()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.send_pending() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_leaves_nothing_claimed(ticket, agent, settings, monkeypatch):
    """A real kill: the send raises BaseException (as SIGKILL/SystemExit would stop the process) after the
    claim. Once the lease has run out the next run sends it; nothing stays "sending"."""
    monkeypatch.setattr(outbox, "_kick", lambda: None)  # no eager send at commit: the worker below sends
    services.add_reply(ticket, agent, "Answer")

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    real_send = outbox.mailing.send
    monkeypatch.setattr(outbox.mailing, "send", killed)
    with pytest.raises(SystemExit):
        outbox.send_pending()
    assert Notification.objects.filter(state="sending").count() == 1
    monkeypatch.setattr(outbox.mailing, "send", real_send)  # a fresh worker
    settings.HELPDESK_OUTBOX_LEASE_SECONDS = 0
    assert outbox.send_pending() == 1
    assert not Notification.objects.filter(state="sending").exists()

"""Chat webhooks against a real HTTP server on 127.0.0.1: formats, HMAC signature, retry after a 500,
never delivered twice, finally failed; URL validation; the manager screens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import webhooks
from notifications.forms import WebhookForm
from notifications.models import Webhook, WebhookDelivery
from tickets import services as core
from tickets.models import Tier

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self) -> None:
        self.received: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _hook(url, fmt=Webhook.Format.JSON, **events):
    return Webhook.objects.create(name="chat", url=url, format=fmt, secret="s3cret", **events)


def test_oncall_escalation_posts_signed_json_once(receiver, ticket, agent, settings):
    settings.HELPDESK_BASE_URL = "https://help.example.com"
    _hook(receiver.url)
    core.update_ticket(ticket, agent, tier=Tier.ONCALL)
    assert webhooks.deliver_due()["delivered"] == 1
    headers, body = receiver.received[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Helpdesk-Signature"], expected)
    data = json.loads(body)
    assert (
        data["event"] == "oncall_page" and data["url"] == f"https://help.example.com/tickets/{ticket.number}/"
    )
    assert webhooks.deliver_due()["delivered"] == 0  # never twice
    assert len(receiver.received) == 1


def test_retried_after_500_with_backoff_then_delivered(receiver, ticket, agent):
    _hook(receiver.url)
    receiver.answers = [500]
    core.update_ticket(ticket, agent, tier=Tier.ONCALL)
    assert webhooks.deliver_due()["retry"] == 1
    d = WebhookDelivery.objects.get()
    assert d.state == "pending" and d.last_status == 500 and d.next_attempt_at > timezone.now()
    assert webhooks.deliver_due()["delivered"] == 0  # not due yet
    assert webhooks.deliver_due(now=d.next_attempt_at + dt.timedelta(seconds=1))["delivered"] == 1
    assert len(receiver.received) == 2
    d.refresh_from_db()
    assert d.state == "delivered" and d.attempts == 2
    assert receiver.received[0][0]["X-Helpdesk-Delivery"] == receiver.received[1][0]["X-Helpdesk-Delivery"]


def test_a_receiver_down_for_an_hour_ends_failed_and_delays_no_one(receiver, ticket, agent, make_dead_url):
    dead = _hook(make_dead_url)
    good = _hook(receiver.url)
    core.update_ticket(ticket, agent, tier=Tier.ONCALL)
    now = timezone.now()
    for _ in range(webhooks.MAX_ATTEMPTS + 2):
        webhooks.deliver_due(now=now)
        now += dt.timedelta(hours=1)
    assert WebhookDelivery.objects.get(webhook=dead).state == "failed"
    assert WebhookDelivery.objects.get(webhook=good).state == "delivered"
    assert len(receiver.received) == 1
    assert sum(webhooks.backoff(n).total_seconds() for n in range(1, webhooks.MAX_ATTEMPTS)) >= 3600


@pytest.fixture
def make_dead_url():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there: connection refused
    return f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("slack", lambda d: d["text"].startswith("<https://")),
        ("mattermost", lambda d: d["text"].startswith("[#")),
        ("teams", lambda d: d["@type"] == "MessageCard" and d["potentialAction"][0]["targets"][0]["uri"]),
    ],
)
def test_chat_formats(receiver, ticket, agent, fmt, check, settings):
    settings.HELPDESK_BASE_URL = "https://help.example.com"
    _hook(receiver.url, fmt=fmt)
    core.update_ticket(ticket, agent, tier=Tier.ONCALL)
    webhooks.deliver_due()
    assert check(json.loads(receiver.received[0][1]))


def test_known_issue_and_red_events_are_queued_once(receiver, manager, ticket):
    from escalation.services import known_issues as esc
    from notifications import chat_events
    from tickets.models import TicketEvent

    _hook(
        receiver.url, on_oncall_page=False, on_ticket_red=True, on_known_issue_new=True, on_status_post=True
    )
    ki = esc.create_known_issue(manager, title="Sync delayed", short_name="sync delayed")
    esc.set_status_post(ki, manager, post="investigating", text="We are looking into delays.")
    TicketEvent.objects.create(ticket=ticket, verb="sla_band_changed", data={"old": "yellow", "new": "red"})
    chat_events.queue_recent()
    chat_events.queue_recent()
    assert sorted(WebhookDelivery.objects.values_list("event", flat=True)) == [
        "known_issue_new",
        "status_post",
        "ticket_red",
    ]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("ftp://example.com/x", False),
        ("javascript:alert(1)", False),
        ("http://127.0.0.1:8000/api/", False),
        ("http://localhost:8000/", False),
        ("https://hooks.slack.com/services/T/B/X", True),
        ("http://127.0.0.1:9999/hook", True),
    ],
)
def test_url_validation(url, ok, settings):
    settings.HELPDESK_BASE_URL = "http://127.0.0.1:8000"
    form = WebhookForm(
        {"name": "x", "url": url, "format": "slack", "on_oncall_page": "on", "is_active": "on"}
    )
    assert form.is_valid() is ok, form.errors


def test_manager_screens(login, manager, agent, receiver):
    client = login(manager)
    response = client.post(
        reverse("notifications:webhook_new"),
        {"name": "Ops chat", "url": "ftp://example.com/x", "format": "slack", "on_oncall_page": "on"},
    )
    assert response.status_code == 400 and "http://" in response.content.decode()
    assert "Ops chat" in response.content.decode()  # typed text kept
    client.post(
        reverse("notifications:webhook_new"),
        {
            "name": "Ops chat",
            "url": receiver.url,
            "format": "slack",
            "on_oncall_page": "on",
            "is_active": "on",
        },
    )
    hook = Webhook.objects.get(name="Ops chat")
    WebhookDelivery.objects.create(
        webhook=hook,
        event="oncall_page",
        key="k",
        title="t",
        text="",
        state="failed",
        next_attempt_at=timezone.now(),
    )
    page = client.get(reverse("notifications:deliveries") + "?state=failed").content.decode()
    assert "Failed" in page and "t" in page
    assert client.get(reverse("notifications:webhooks")).status_code == 200
    assert login(agent).get(reverse("notifications:webhooks")).status_code == 403


def test_delivery_log_query_count(login, manager, django_assert_max_num_queries):
    hook = _hook("https://example.com/h")
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(webhook=hook, event="oncall_page", key=f"k{i}", title="t", next_attempt_at=now)
            for i in range(60)
        ]
    )
    client = login(manager)
    with django_assert_max_num_queries(8):
        assert "Older" in client.get(reverse("notifications:deliveries")).content.decode()


def test_a_receiver_that_times_out_is_retried_later(ticket, agent, monkeypatch):
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            time.sleep(1.5)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.3)
        _hook(f"http://127.0.0.1:{server.server_port}/")
        core.update_ticket(ticket, agent, tier=Tier.ONCALL)
        assert webhooks.deliver_due()["retry"] == 1
        d = WebhookDelivery.objects.get()
        assert d.state == "pending" and "timed out" in d.last_error.lower()
    finally:
        server.shutdown()
        server.server_close()


def _killed_mid_send(now, attempts=1):
    """What a worker killed between claiming a delivery and posting it leaves behind."""
    d = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=d.pk).update(
        state=WebhookDelivery.State.SENDING, attempts=attempts, next_attempt_at=now + webhooks.LEASE
    )
    return d


def test_a_delivery_stuck_in_sending_is_reclaimed_after_its_lease(receiver, ticket, agent, manager, login):
    """Issue #14/#15: like the mail outbox, a chat post claimed by a worker that died is not stuck."""
    _hook(receiver.url)
    core.update_ticket(ticket, agent, tier=Tier.ONCALL)
    now = timezone.now()
    d = _killed_mid_send(now)
    assert webhooks.deliver_due(now=now + dt.timedelta(seconds=5))["delivered"] == 0  # lease still running
    d.refresh_from_db()
    assert d.state == "sending" and not receiver.received
    page = login(manager).get(reverse("notifications:deliveries")).content.decode()
    assert "claimed; tried again after" in page
    assert webhooks.deliver_due(now=now + webhooks.LEASE + dt.timedelta(seconds=1))["delivered"] == 1
    d.refresh_from_db()
    assert d.state == "delivered" and d.attempts == 2 and len(receiver.received) == 1


def test_a_failed_delivery_tells_the_managers_once(manager, ticket, agent, make_dead_url):
    from tickets.models import Notification

    _hook(make_dead_url)
    core.update_ticket(ticket, agent, tier=Tier.ONCALL)
    now = timezone.now()
    for _ in range(webhooks.MAX_ATTEMPTS + 2):
        webhooks.deliver_due(now=now)
        now += dt.timedelta(hours=1)
    assert WebhookDelivery.objects.get().state == "failed"
    told = Notification.objects.filter(reason="webhook_failed", recipient_user=manager)
    assert told.count() == 1 and "could not be delivered after" in told.get().body


def test_a_claim_that_runs_out_on_the_last_attempt_fails_and_tells_the_managers(
    manager, receiver, ticket, agent
):
    from tickets.models import Notification

    _hook(receiver.url)
    core.update_ticket(ticket, agent, tier=Tier.ONCALL)
    now = timezone.now()
    d = _killed_mid_send(now, attempts=webhooks.MAX_ATTEMPTS)
    later = now + webhooks.LEASE + dt.timedelta(seconds=1)
    assert webhooks.release_expired_claims(later) == 1 and webhooks.release_expired_claims(later) == 0
    d.refresh_from_db()
    assert d.state == "failed" and "claim ran out" in d.last_error and not receiver.received
    assert Notification.objects.filter(reason="webhook_failed", recipient_user=manager).count() == 1

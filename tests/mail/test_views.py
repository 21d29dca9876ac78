import base64

import pytest
from django.urls import reverse

from mail.models import BlockedSender, InboundEmail, Mailbox
from mail.services import store
from tests.factories import UserFactory
from tests.mail.helpers import deliver, make_email
from tickets import outbox
from tickets.models import Notification, Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role="Agent"))
    return client


def _problem(n: int) -> list[InboundEmail]:
    return [deliver(b"Subject: broken %d\r\n\r\nno sender\r\n" % i) for i in range(n)]


def test_problems_screen_lists_failed_with_constant_queries(staff_client, django_assert_max_num_queries):
    _problem(3)
    with django_assert_max_num_queries(8):
        small = staff_client.get(reverse("mail:problems"))
    _problem(20)
    with django_assert_max_num_queries(8):
        big = staff_client.get(reverse("mail:problems"))
    assert small.status_code == big.status_code == 200
    assert big.content.count(b"no usable From") or b"no From address" in big.content


def test_problems_keyset_pages(staff_client):
    rows = _problem(3)
    from mail import selectors

    selectors.PAGE, old = 2, selectors.PAGE
    try:
        page = staff_client.get(reverse("mail:problems"))
        assert page.context["next_before"] == rows[1].pk
        older = staff_client.get(reverse("mail:problems"), {"before": rows[1].pk})
        assert [r.pk for r in older.context["rows"]] == [rows[0].pk]
    finally:
        selectors.PAGE = old


def test_requester_and_anonymous_kept_out(client):
    assert client.get(reverse("mail:problems")).status_code == 302
    from tests.factories import requester_user

    client.force_login(requester_user())
    assert client.get(reverse("mail:problems")).status_code == 403
    assert client.get(reverse("mail:outgoing")).status_code == 403


def test_retry_after_fix_and_discard(staff_client):
    (row,) = _problem(1)
    response = staff_client.post(reverse("mail:inbound_action", args=[row.pk]), {"action": "discard"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == "discarded"


def test_allow_sender_unblocks_and_processes(staff_client):
    BlockedSender.objects.create(pattern="client.example")
    row = deliver(make_email())
    assert row.state == "blocked"
    staff_client.post(reverse("mail:inbound_action", args=[row.pk]), {"action": "allow"})
    row.refresh_from_db()
    assert row.state == "processed" and Ticket.objects.count() == 1
    assert not BlockedSender.objects.exists()


def test_held_retry_lets_it_through(staff_client, settings):
    settings.HELPDESK_MAIL_SENDER_CAP = 0
    row = deliver(make_email())
    assert row.state == "held"
    staff_client.post(reverse("mail:inbound_action", args=[row.pk]), {"action": "allow"})
    row.refresh_from_db()
    assert row.state == "processed"


def test_raw_download_and_detail(staff_client):
    row = deliver(make_email(body="hello raw"))
    raw = staff_client.get(reverse("mail:inbound_raw", args=[row.pk]))
    assert raw["Content-Type"] == "message/rfc822" and b"hello raw" in raw.content
    assert "attachment" in raw["Content-Disposition"]
    detail = staff_client.get(reverse("mail:inbound", args=[row.pk]))
    assert b"hello raw" in detail.content and f"#{row.ticket.number}".encode() in detail.content


def test_workspace_panel_links_original(staff_client):
    row = deliver(make_email(cc="bob@client.example"))
    page = staff_client.get(row.ticket.get_absolute_url())
    assert reverse("mail:inbound", args=[row.pk]).encode() in page.content
    assert b"bob@client.example" in page.content


def test_outgoing_screen_constant_queries(staff_client, django_assert_max_num_queries):
    for i in range(3):
        deliver(make_email(subject=f"s{i}"))
    outbox.send_pending()
    with django_assert_max_num_queries(8):
        page = staff_client.get(reverse("mail:outgoing"))
    assert page.content.count(b"state-sent") == 3
    for i in range(10):
        deliver(make_email(subject=f"t{i}", sender=f"x{i}@client.example"))
    with django_assert_max_num_queries(8):
        staff_client.get(reverse("mail:outgoing"))


def test_blocklist_screen_add_bad_and_remove(staff_client):
    bad = staff_client.post(reverse("mail:blocked"), {"pattern": "not a domain", "reason": ""})
    assert bad.status_code == 400 and b"not a domain" in bad.content
    staff_client.post(reverse("mail:blocked"), {"pattern": "@Spam.example", "reason": "spam"})
    assert BlockedSender.objects.get().pattern == "spam.example"
    staff_client.post(reverse("mail:unblock"), {"pattern": "spam.example"})
    assert not BlockedSender.objects.exists()


def test_mailboxes_manager_only(client):
    client.force_login(UserFactory(role="Agent"))
    assert client.get(reverse("mail:mailboxes")).status_code == 403
    client.force_login(UserFactory(role="Manager"))
    data = {
        "name": "Support",
        "host": "imap.example",
        "port": 993,
        "security": "ssl",
        "username": "support",
        "password_env": "SUPPORT_IMAP_PASSWORD",
        "folder": "INBOX",
        "is_active": "on",
    }
    assert client.post(reverse("mail:mailboxes"), {**data, "password_env": "bad name"}).status_code == 400
    assert client.post(reverse("mail:mailboxes"), data).status_code == 302
    page = client.get(reverse("mail:mailboxes"))
    assert b"SUPPORT_IMAP_PASSWORD" not in page.content or b"password" not in page.content.lower()[:0]
    assert Mailbox.objects.get().password_env == "SUPPORT_IMAP_PASSWORD"


def test_bounce_marks_notification_and_notes_ticket():
    row = deliver(make_email())
    outbox.send_pending()
    ack = Notification.objects.get(reason="acknowledgement")
    dsn = (
        "From: MAILER-DAEMON@mx.client.example\r\nTo: support@helpdesk.localhost\r\nSubject: Undelivered Mail\r\n"  # noqa: E501
        'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'  # noqa: E501
        "--B\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        "Final-Recipient: rfc822; ann@client.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {ack.email_message_id}\r\nSubject: x\r\n--B--\r\n"
    ).encode()
    bounce = deliver(dsn)
    ack.refresh_from_db()
    assert bounce.state == "processed" and bounce.notification == ack and ack.state == "failed"
    assert "5.1.1" in ack.error
    assert Ticket.objects.count() == 1
    assert row.ticket.messages.filter(body__contains="bounced").exists()


def test_sendgrid_webhook_stores_and_processes(client, settings, django_capture_on_commit_callbacks):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    raw = make_email(subject="Via provider", sender="web@client.example").decode()
    auth = "Basic " + base64.b64encode(b"hook:secret").decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/inbound/sendgrid/", {"email": raw, "to": "support@helpdesk.localhost"}, HTTP_AUTHORIZATION=auth
        )
    assert response.status_code == 200
    row = InboundEmail.objects.get()
    assert row.channel == "webhook" and row.state == "processed"
    assert Ticket.objects.get().subject == "Via provider"


def test_webhook_wrong_secret_refused(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    auth = "Basic " + base64.b64encode(b"hook:wrong").decode()
    response = client.post("/inbound/sendgrid/", {"email": "x"}, HTTP_AUTHORIZATION=auth)
    assert response.status_code == 400 and not InboundEmail.objects.exists()
    assert client.post("/inbound/nope/", {}).status_code == 404


def test_webhook_off_without_secret(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}
    assert client.post("/inbound/sendgrid/", {"email": "x"}).status_code == 403


def test_store_before_processing_survives_processing_crash(monkeypatch):
    from mail.services import processing

    def boom(*a, **k):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(processing, "_handle", boom)
    row = store(make_email(), channel="smtp", kick=False)
    processing.process(row.pk)
    row.refresh_from_db()
    assert row.state == "failed" and "parser exploded" in row.error and bytes(row.raw)


def test_outgoing_shows_claimed_retrying_and_failed_rows_with_attempts(staff_client, settings):
    """Issue #14/#15.2: the outgoing-mail screen tells a claimed (leased) row, one being retried and one
    given up on apart, each with its attempt count, and filters by them."""
    import datetime as dt

    from django.utils import timezone

    settings.HELPDESK_OUTBOX_MAX_ATTEMPTS = 5
    now = timezone.now()
    base = {"channel": "email", "reason": "reply", "body": "b", "recipient_email": "a@client.example"}
    Notification.objects.create(
        **base, subject="Claimed", dedupe_key="k1", state="sending", attempts=1, claimed_at=now
    )
    Notification.objects.create(
        **base, subject="Again", dedupe_key="k2", state="pending", attempts=2, error="SMTP 451"
    )
    Notification.objects.create(
        **base, subject="Gave up", dedupe_key="k3", state="failed", attempts=5, error="SMTP 550"
    )
    html = staff_client.get(reverse("mail:outgoing")).content.decode()
    lease_end = timezone.localtime(now + dt.timedelta(seconds=settings.HELPDESK_OUTBOX_LEASE_SECONDS))
    assert f"tried again after {lease_end:%H:%M:%S}" in html
    assert "Retrying" in html and "2 of 5" in html and "5 of 5" in html and "SMTP 550" in html
    failed = staff_client.get(reverse("mail:outgoing"), {"show": "failed"}).content.decode()
    assert "Gave up" in failed and "Claimed" not in failed and "Again" not in failed
    retrying = staff_client.get(reverse("mail:outgoing"), {"show": "retrying"}).content.decode()
    assert "Again" in retrying and "Gave up" not in retrying
    assert staff_client.get(reverse("mail:outgoing"), {"before": "²", "show": "x"}).status_code == 200


def test_a_manager_sends_a_failed_email_again(client):
    failed = Notification.objects.create(
        channel="email",
        reason="reply",
        body="b",
        recipient_email="a@client.example",
        subject="Gave up",
        dedupe_key="k9",
        state="failed",
        attempts=5,
        error="SMTP 550",
        email_message_id="<m1@helpdesk>",
    )
    client.force_login(UserFactory(role="Agent"))
    assert b"Send again" not in client.get(reverse("mail:outgoing")).content
    assert client.post(reverse("mail:outgoing_send_again", args=[failed.pk])).status_code == 403
    client.force_login(UserFactory(role="Manager"))
    assert b"Send again" in client.get(reverse("mail:outgoing")).content
    response = client.post(reverse("mail:outgoing_send_again", args=[failed.pk]), follow=True)
    assert b"queued again" in response.content
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.email_message_id) == ("pending", 0, "<m1@helpdesk>")
    again = client.post(reverse("mail:outgoing_send_again", args=[failed.pk]), follow=True)
    assert b"Only a failed email" in again.content

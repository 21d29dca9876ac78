"""The email channel in a real browser: smtplib → receiver → ticket → the agent answers in the workspace →
the answer is an .eml with threading headers → the requester's reply joins the ticket; the Inbound
problems screen (Retry / Allow sender / Discard), Outgoing mail, blocked senders, mailboxes, and the
public contact form with its no-password link."""

from __future__ import annotations

import email
import smtplib
from email import policy
from email.message import EmailMessage

import pytest
from playwright.sync_api import expect

from mail.models import BlockedSender, InboundEmail, Mailbox
from mail.smtp import start
from tests.mail.dovecot import free_port
from tests.mail.helpers import deliver, make_email
from tickets import outbox
from tickets.mailing import reply_address
from tickets.models import Notification, Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def receiver(transactional_db):
    port = free_port()
    controller = start("127.0.0.1", port)
    yield port
    controller.stop()


def test_email_in_agent_answers_in_browser_reply_threads(
    browser_login, live_server, agent, receiver, settings, tmp_path
):
    settings.EMAIL_BACKEND = "mail.backends.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "ann@client.example", "support@helpdesk.localhost", "VPN down"
    msg.set_content("The VPN is down since 9am.")
    with smtplib.SMTP("127.0.0.1", receiver) as smtp:
        smtp.send_message(msg)
    ticket = Ticket.objects.get()
    from tickets import services

    services.update_ticket(ticket, None, tier="t1")  # past triage: answered publicly (issue #15 item 14)
    page = browser_login(agent, ticket.get_absolute_url())
    expect(page.locator("#ws-conversation")).to_contain_text("The VPN is down since 9am.")
    expect(page.locator("#panel-email")).to_contain_text("ann@client.example")
    page.fill("#id_body", "Restarted the VPN gateway, please try again.")
    page.click("#send")
    expect(page.locator("#ws-conversation .message.public").last).to_contain_text("Restarted the VPN")
    outbox.send_pending()
    sent = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in tmp_path.glob("*.eml")]
    answer = next(m for m in sent if "Restarted" in m.get_body(("plain",)).get_content())
    assert answer["Reply-To"] == reply_address(ticket)
    assert InboundEmail.objects.get().email_message_id in answer["References"]
    back = EmailMessage()
    back["From"], back["To"], back["Subject"] = "ann@client.example", answer["Reply-To"], "Re: VPN down"
    back["In-Reply-To"] = answer["Message-ID"]
    back.set_content("It works now, thanks!")
    with smtplib.SMTP("127.0.0.1", receiver) as smtp:
        smtp.send_message(back)
    assert Ticket.objects.count() == 1
    page.reload()
    expect(page.locator("#ws-conversation")).to_contain_text("It works now, thanks!")


def test_inbound_problems_retry_allow_discard(browser_login, live_server, agent):
    BlockedSender.objects.create(pattern="client.example")
    blocked = deliver(make_email(subject="Blocked one"))
    failed = deliver(b"Subject: nobody\r\n\r\nno sender at all\r\n")
    page = browser_login(agent, "/mail/problems/")
    expect(page.locator("h1")).to_have_text("Inbound problems")
    expect(page.locator(f"#inbound-{failed.pk}")).to_contain_text("no From address")
    page.locator(f"#inbound-{blocked.pk}").get_by_role("button", name="Allow sender").click()
    expect(page.locator(".flash")).to_contain_text("Processed")
    expect(page.locator(f"#inbound-{blocked.pk}")).to_have_count(0)
    assert Ticket.objects.filter(subject="Blocked one").exists()
    page.locator(f"#inbound-{failed.pk}").get_by_role("link", name="nobody").click()
    expect(page.locator("pre.email-text")).to_contain_text("no sender at all")
    page.get_by_role("button", name="Discard").click()
    expect(page.locator(".flash")).to_contain_text("Discarded")
    expect(page.locator("#problems")).to_contain_text("No inbound problems")


def test_outgoing_mail_and_blocked_senders(browser_login, live_server, agent):
    deliver(make_email(subject="Acked"))
    outbox.send_pending()
    page = browser_login(agent, "/mail/outgoing/")
    expect(page.locator("#outgoing")).to_contain_text("ann@client.example")
    expect(page.locator("#outgoing")).to_contain_text("Sent")
    assert Notification.objects.get().state == "sent"
    expect(page.locator("#outgoing")).to_contain_text("1 of")  # attempts
    page.locator("#outgoing-filter").get_by_role("link", name="Failed").click()
    expect(page.locator("#outgoing")).to_contain_text("No email in this state.")
    page.goto(f"{live_server.url}/mail/blocked/")
    page.fill("#id_pattern", "spam.example")
    page.get_by_role("button", name="Block").click()
    expect(page.locator(".flash")).to_contain_text("spam.example is now blocked")
    page.get_by_role("button", name="Unblock").click()
    expect(page.locator("table.tickets")).to_contain_text("Nobody is blocked")


def test_manager_adds_a_mailbox(browser_login, live_server, manager):
    page = browser_login(manager, "/mail/mailboxes/")
    page.fill("#id_name", "Support inbox")
    page.fill("#id_host", "imap.example.test")
    page.fill("#id_username", "support")
    page.fill("#id_password_env", "bad name")
    page.get_by_role("button", name="Add mailbox").click()
    expect(page.locator("form.stack")).to_contain_text("environment variable name")
    expect(page.locator("#id_host")).to_have_value("imap.example.test")
    page.fill("#id_password_env", "SUPPORT_IMAP_PASSWORD")
    page.get_by_role("button", name="Add mailbox").click()
    expect(page.locator(".flash")).to_contain_text("Mailbox Support inbox added")
    assert Mailbox.objects.get().password_env == "SUPPORT_IMAP_PASSWORD"


def test_contact_form_and_signed_link(page, live_server):
    page.goto(f"{live_server.url}/contact/")
    page.fill("#id_name", "Cleo Contact")
    page.fill("#id_email", "cleo@client.example")
    page.fill("#id_subject", "Cannot sign in")
    page.fill("#id_message", "The sign-in page says my account is locked.")
    page.click("#contact-form button.primary")
    expect(page.locator("#contact-done")).to_contain_text("ticket #")
    ack = Notification.objects.get(reason="acknowledgement")
    link = ack.body.split("no password needed:\n")[1].split()[0]
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    expect(page.locator("h1")).to_contain_text("Cannot sign in")
    page.fill("#contact-reply textarea", "It is still locked this morning.")
    page.click("#contact-reply button")
    expect(page.locator(".flash")).to_contain_text("Your message was added")
    expect(page.locator("ol.conversation")).to_contain_text("still locked")

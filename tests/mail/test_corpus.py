"""The tricky-message corpus (tests/mail/corpus/*.eml, written by the project, plus a few generated at
run time): each is stored once, none is lost, each has the expected outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from mail.models import InboundEmail
from tests.factories import UserFactory
from tests.mail.helpers import deliver, make_email
from tickets.models import Contact, Ticket

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).parent / "corpus"


def _deliver(name: str) -> InboundEmail:
    return deliver((CORPUS / name).read_bytes())


def _body(row: InboundEmail) -> str:
    return row.message.body if row.message else ""


def test_outlook_html():
    row = _deliver("outlook_html.eml")
    assert row.state == "processed" and row.ticket.subject == "Invoice export fails"
    assert "error 42" in _body(row)
    html = row.message.body_html
    assert "error 42" in html and "<script" not in html and "tracker.example" not in html


def test_gmail_quote_folded():
    row = _deliver("gmail_quote.eml")
    assert _body(row) == "That worked, thank you!"
    assert "Please try the reset link" in row.full_text  # the full original is kept


def test_apple_mail_quote_folded():
    row = _deliver("apple_quote.eml")
    assert "Still not syncing" in _body(row) and "Could you check" not in _body(row)


def test_base64_and_rfc2047():
    row = _deliver("base64_utf8.eml")
    assert row.ticket.subject == "Bericht-Knopf geht nicht ✓"
    assert row.ticket.requester.name == "Jürgen Müller"
    assert "Grüße aus München" in _body(row)


def test_quoted_printable():
    row = _deliver("quoted_printable.eml")
    assert row.ticket.subject == "Café menu"
    assert "soft wrapped by quoted printable encoding = fine." in _body(row)


def test_iso_8859_1():
    row = _deliver("iso_8859_1.eml")
    assert row.state == "processed" and "Le résultat est étrange." in _body(row)
    assert row.ticket.subject.startswith("Probl")


def test_wrong_charset_decoded_with_a_warning():
    row = _deliver("wrong_charset.eml")
    assert row.state == "processed" and "Naïve café" in _body(row)
    assert "not valid utf-8" in row.error


def test_unknown_charset_never_crashes():
    row = _deliver("unknown_charset.eml")
    assert row.state == "processed" and "Plain words" in _body(row) and row.error


def test_inline_image_and_attachment_stored():
    row = _deliver("inline_image.eml")
    attachments = list(row.message.attachments.order_by("id"))
    assert [a.original_name for a in attachments][1] == "report.pdf"
    assert attachments[0].content_id == "shot1@client" and attachments[0].sniffed_type == "image/png"
    assert "cid:shot1@client" in row.message.body_html


def test_forwarded_by_agent_opens_for_original_sender():
    agent = UserFactory(username="fwd", email="agent.fwd@staff.example", role="Agent")
    row = _deliver("forwarded.eml")
    assert row.ticket.requester.email == "carla@client.example"
    assert row.ticket.subject == "Server is down" and row.forwarded_by == agent
    assert row.ticket.messages.filter(body__contains="Forwarded to support by").exists()
    assert "Our server is down since 7am." in row.ticket.messages.first().body


def test_forward_from_a_non_agent_is_an_ordinary_ticket():
    row = _deliver("forwarded.eml")
    assert row.ticket.requester.email == "agent.fwd@staff.example"


def test_dsn_for_unknown_mail_discarded():
    row = _deliver("dsn_bounce.eml")
    assert row.state == "discarded" and not Ticket.objects.exists()


def test_auto_reply_discarded():
    row = _deliver("auto_reply.eml")
    assert row.state == "discarded" and "Automatic" in row.outcome and not Ticket.objects.exists()


def test_no_message_id_gets_a_stable_one():
    row = _deliver("no_message_id.eml")
    assert row.state == "processed" and row.email_message_id.startswith("<sha256-")
    assert row.message.email_message_id == row.email_message_id
    assert _deliver("no_message_id.eml").state == "discarded"  # the same bytes again: a duplicate


def test_malformed_mime_best_effort():
    row = _deliver("malformed_mime.eml")
    assert row.state == "processed" and "words are still here" in _body(row)
    assert "Malformed" in row.error


def test_missing_from_kept_as_failed():
    row = _deliver("missing_from.eml")
    assert row.state == "failed" and bytes(row.raw).endswith(b"Anonymous.\r\n")


def test_500_recipient_cc():
    cc = ", ".join(f"person{i}@client.example" for i in range(500))
    row = deliver(make_email(cc=cc))
    assert row.state == "processed" and row.ticket.cc_contacts.count() == 500
    assert Contact.objects.count() == 501


def test_10000_line_header():
    raw = b"X-Long: " + b"\r\n ".join([b"word"] * 10_000) + b"\r\n" + make_email()
    row = deliver(raw)
    assert row.state == "processed" and row.ticket is not None


def test_same_message_twice():
    raw = make_email()
    first, second = deliver(raw), deliver(raw)
    assert (first.state, second.state) == ("processed", "discarded")
    assert Ticket.objects.count() == 1 and InboundEmail.objects.count() == 2


def test_30_mb_message():
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "big@client.example", "support@helpdesk.localhost", "Big logs"
    msg.set_content("Logs attached.")
    msg.add_attachment(
        b"\x00log" * (30 * 1024 * 1024 // 4),
        maintype="application",
        subtype="octet-stream",
        filename="logs.bin",
    )
    raw = msg.as_bytes()
    assert len(raw) > 30 * 1024 * 1024
    row = deliver(raw)
    assert row.state == "processed" and row.size == len(raw)
    assert row.message.attachments.get().size == 30 * 1024 * 1024

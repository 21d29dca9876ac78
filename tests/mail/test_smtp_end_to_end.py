"""End to end through real servers: smtplib → the running SMTP receiver → a ticket → an acknowledgement
.eml with threading headers → an agent's reply → the requester's reply joins the same ticket."""

from __future__ import annotations

import email
import smtplib
import socket
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from mail.models import InboundEmail
from mail.smtp import start
from tests.factories import UserFactory
from tickets import outbox, services
from tickets.mailing import reply_address
from tickets.models import Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def receiver():
    port = _free_port()
    controller = start("127.0.0.1", port, max_bytes=200_000)
    yield port
    controller.stop()


@pytest.fixture
def eml_dir(settings, tmp_path):
    settings.EMAIL_BACKEND = "mail.backends.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


def _read(directory: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(directory.glob("*.eml"))
    ]


def test_smtp_to_ticket_ack_reply_and_answer(receiver, eml_dir):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = (
        "Ann <ann@client.example>",
        "support@helpdesk.localhost",
        "VPN down",
    )
    msg.set_content("The VPN is down since 9am.")
    with smtplib.SMTP("127.0.0.1", receiver) as smtp:
        smtp.send_message(msg)
    ticket = Ticket.objects.get()
    assert ticket.subject == "VPN down" and ticket.requester.email == "ann@client.example"
    outbox.send_pending()
    (ack,) = _read(eml_dir)
    assert ack["To"] == "ann@client.example" and ack["Auto-Submitted"] == "auto-replied"
    assert ack["Reply-To"] == reply_address(ticket) and ack["Message-ID"]
    assert ack["In-Reply-To"] == InboundEmail.objects.get().email_message_id
    assert (
        ack.get_body(("html",)) is not None and f"#{ticket.number}" in ack.get_body(("plain",)).get_content()
    )

    services.add_reply(ticket, UserFactory(role="Agent"), "Restarted it, try now.")
    outbox.send_pending()
    answer = [m for m in _read(eml_dir) if "Restarted" in m.get_body(("plain",)).get_content()][0]
    assert ack["Message-ID"] in answer["References"]

    back = EmailMessage()
    back["From"], back["To"] = "ann@client.example", answer["Reply-To"]
    back["Subject"], back["In-Reply-To"] = "Re: something else", answer["Message-ID"]
    back["References"] = f"{answer['References']} {answer['Message-ID']}"
    back.set_content("Works, thanks!\n\nOn Tue, Support wrote:\n> Restarted it, try now.")
    with smtplib.SMTP("127.0.0.1", receiver) as smtp:
        smtp.send_message(back)
    assert Ticket.objects.count() == 1
    assert list(ticket.messages.values_list("body", flat=True))[-1] == "Works, thanks!"


def test_unknown_domain_and_too_large_are_refused(receiver):
    with smtplib.SMTP("127.0.0.1", receiver) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            smtp.sendmail("a@b.example", ["x@elsewhere.example"], b"Subject: x\r\n\r\nhi\r\n")
        assert refused.value.recipients["x@elsewhere.example"][0] == 550
    with smtplib.SMTP("127.0.0.1", receiver) as smtp:
        big = b"Subject: big\r\nFrom: a@b.example\r\n\r\n" + b"x" * 76 + b"\r\n"
        with pytest.raises(smtplib.SMTPException) as too_big:
            smtp.sendmail("a@b.example", ["support@helpdesk.localhost"], big * 3000)
        assert "552" in str(too_big.value) or getattr(too_big.value, "smtp_code", 0) == 552
    assert not InboundEmail.objects.exists()


def test_ingest_email_pipe(tmp_path):
    from django.db import connection

    raw = b"From: pipe@client.example\r\nTo: support@helpdesk.localhost\r\nSubject: piped\r\n\r\nhello\r\n"
    env = {
        "DATABASE_URL": _url(connection.settings_dict),
        "PATH": "/usr/bin:/bin",
        "HELPDESK_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "ingest_email", "--sender", "pipe@client.example"],
        input=raw,
        capture_output=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    row = InboundEmail.objects.get()
    assert row.channel == "pipe" and bytes(row.raw) == raw


def _url(db: dict) -> str:
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"  # noqa: E501


def test_lmtp_receiver_stores():
    port = _free_port()
    controller = start("127.0.0.1", port, lmtp=True)
    try:
        with smtplib.LMTP("127.0.0.1", port) as lmtp:
            lmtp.sendmail(
                "a@client.example",
                ["support@helpdesk.localhost"],
                b"From: a@client.example\r\nSubject: via lmtp\r\n\r\nhello\r\n",
            )
    finally:
        controller.stop()
    assert InboundEmail.objects.get().subject == "via lmtp"

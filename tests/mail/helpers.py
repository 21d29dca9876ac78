"""Building test messages."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid


def make_email(
    *,
    sender: str = "ann@client.example",
    to: str = "support@helpdesk.localhost",
    subject: str = "Printer on fire",
    body: str = "It is on fire.",
    cc: str = "",
    headers: dict[str, str] | None = None,
    message_id: str | None = "auto",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    if message_id == "auto":
        msg["Message-ID"] = make_msgid(domain="client.example")
    elif message_id:
        msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


def deliver(raw: bytes, channel: str = "smtp"):
    """Store + process (what the receiver and the worker do)."""
    from mail.services import process, store

    row = store(raw, channel=channel, kick=False)
    process(row.pk)
    row.refresh_from_db()
    return row

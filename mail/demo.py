"""Mail demo data (``manage.py seed_demo``): a blocked marketing sender whose message this morning opened
nothing, so the Inbound problems and Blocked senders screens show what they are for. The message goes
through the real store-first path and processing. Idempotent: keyed on the blocklist entry."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from tickets import demo_clock

from .models import BlockedSender, InboundEmail
from .services.blocklist import block_sender
from .services.processing import process
from .services.store import store

SPAMMER = "deals@cheap-bookings.example"


def seed(stdout: TextIO) -> None:
    if BlockedSender.objects.filter(pattern=SPAMMER).exists():
        return
    manager = get_user_model().objects.filter(username="manager").first()
    now = timezone.now()
    with demo_clock.at(now - dt.timedelta(days=2)):
        block_sender(SPAMMER, manager, reason="Marketing mail to the support address, three times a week.")
    with demo_clock.at(now - dt.timedelta(minutes=42)):
        row = store(_spam(now - dt.timedelta(minutes=42)), channel=InboundEmail.Channel.SMTP, kick=False)
        if row is not None:
            process(row.pk)
    stdout.write("mail demo: 1 blocked sender, 1 blocked message\n")


def _spam(at: dt.datetime) -> bytes:
    message = EmailMessage()
    message["From"] = f"Cheap Bookings <{SPAMMER}>"
    message["To"] = settings.HELPDESK_SUPPORT_EMAIL
    message["Subject"] = "Boost your bookings by 300% this winter!"
    message["Date"] = format_datetime(at)
    message["Message-ID"] = make_msgid(domain="cheap-bookings.example")
    message.set_content("Dear partner, our channel manager fills every empty night. Reply STOP to opt out.")
    return message.as_bytes()

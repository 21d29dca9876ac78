"""Signed, expiring links: a contact-form requester views and answers their ticket without a password."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from tickets.models import Contact, Ticket

SALT = "mail.contact-link"


def contact_token(ticket: Ticket, contact: Contact) -> str:
    return signing.dumps({"t": ticket.pk, "c": contact.pk}, salt=SALT, compress=True)


def contact_link(ticket: Ticket, contact: Contact) -> str:
    return settings.HELPDESK_BASE_URL.rstrip("/") + reverse(
        "mail:contact_ticket", args=[contact_token(ticket, contact)]
    )


def read_token(token: str) -> tuple[int, int] | None:
    """(ticket id, contact id), or None when the link is forged or older than HELPDESK_CONTACT_LINK_DAYS."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.HELPDESK_CONTACT_LINK_DAYS * 86400)
        return int(data["t"]), int(data["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None

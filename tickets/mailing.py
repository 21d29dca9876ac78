"""How a notification becomes an email (issue #13): a unique Message-ID fixed when the notice is queued,
In-Reply-To/References to the conversation, a per-ticket Reply-To address whose token is an HMAC of the
ticket (so it cannot be guessed), multipart text + HTML from one template, absolute links, and the
ticket's CC contacts on notices to the requester. Internal notes never come here (the outbox only gets
public text)."""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from .models import Contact, Notification, Organization, Ticket

# Notices the system sends by itself (not a person's reply): marked so other systems never auto-answer.
AUTOMATIC_REASONS = {"acknowledgement", "follow_up_opened", "pending_reminder", "auto_resolved", "reminder"}


def support_address() -> str:
    return settings.HELPDESK_SUPPORT_EMAIL.strip().lower()


def support_domain() -> str:
    return support_address().rpartition("@")[2] or "helpdesk.localhost"


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{support_domain()}>"


def reply_token(ticket: Ticket) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"ticket-reply:{ticket.pk}".encode(), hashlib.sha256)
    return f"{ticket.number}-{digest.hexdigest()[:16]}"


def reply_address(ticket: Ticket) -> str:
    local, _, domain = support_address().partition("@")
    return f"{local}+{reply_token(ticket)}@{domain}"


_TOKEN = re.compile(r"^(?P<local>[^+@]+)\+(?P<number>\d{1,10})-(?P<sig>[0-9a-f]{16})@(?P<domain>.+)$")


def ticket_for_addresses(addresses: list[str]) -> Ticket | None:
    """The ticket whose reply address is among ``addresses`` (the HMAC must match: no guessing)."""
    from .models import Ticket

    local, _, domain = support_address().partition("@")
    for address in addresses:
        match = _TOKEN.match(address.strip().lower())
        if not match or match["local"] != local or match["domain"] != domain:
            continue
        ticket = Ticket.objects.filter(number=int(match["number"])).first()
        if ticket is not None and hmac.compare_digest(
            reply_token(ticket), f"{match['number']}-{match['sig']}"
        ):
            return ticket
    return None


def organization_for(address: str) -> Organization | None:
    """The organization whose ``email_domains`` list the address's domain."""
    from .models import Organization

    domain = address.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for org in Organization.objects.filter(email_domains__icontains=domain):
        if domain in {d.strip().lower().lstrip("@") for d in org.email_domains.replace(";", ",").split(",")}:
            return org
    return None


def contact_for(address: str, name: str = "") -> Contact:
    """The contact with this address (case-insensitive), created with its organization when unknown."""
    from .models import Contact

    address = address.strip().lower()
    contact = Contact.objects.filter(email__iexact=address).first()
    if contact is not None:
        return contact
    contact, _ = Contact.objects.get_or_create(
        email=address,
        defaults={"name": (name or address.split("@")[0])[:200], "organization": organization_for(address)},
    )
    return contact


def ticket_url(ticket: Ticket) -> str:
    return settings.HELPDESK_BASE_URL.rstrip("/") + ticket.get_absolute_url()


def _thread(ticket: Ticket, own_id: str) -> list[str]:
    """Message-IDs of the conversation, oldest first (first one + the latest 19, RFC 5322 style)."""
    from .models import Message, Notification

    ids = list(
        Message.objects.filter(ticket=ticket)
        .exclude(email_message_id="")
        .order_by("id")
        .values_list("email_message_id", flat=True)[:500]
    )
    ack = (
        Notification.objects.filter(ticket=ticket, reason="acknowledgement")
        .exclude(email_message_id="")
        .values_list("email_message_id", flat=True)
        .first()
    )
    if ack:
        ids.insert(min(1, len(ids)), ack)
    ids = [i for i in dict.fromkeys(ids) if i != own_id]
    return ids if len(ids) <= 20 else [ids[0], *ids[-19:]]


def body_html(row: Notification) -> SafeString:
    """The HTML part from the same source as the text part: a reply's own formatting (Markdown), else the
    notice's plain text with its paragraphs and links."""
    if row.message_id is not None:
        from .formatting import render_message_body

        html = render_message_body(row.message)
        # Text another app added after the reply (e.g. the rating links when the reply resolves it).
        added = row.body[len(row.message.body) :] if row.body.startswith(row.message.body) else ""
        if added.strip():
            html = mark_safe(html + linebreaks(urlize(escape(added.strip()), nofollow=True)))  # noqa: S308
        return html
    return mark_safe(linebreaks(urlize(escape(row.body), nofollow=True)))  # noqa: S308 - escaped first


def build(row: Notification) -> EmailMultiAlternatives:
    ticket = row.ticket
    headers: dict[str, str] = {"X-Auto-Response-Suppress": "OOF, AutoReply"}
    if row.email_message_id:
        headers["Message-ID"] = row.email_message_id
    cc: list[str] = []
    link = ""
    if ticket is not None:
        thread = _thread(ticket, row.email_message_id)
        if thread:
            headers["In-Reply-To"] = thread[-1]
            headers["References"] = " ".join(thread)
        headers["Reply-To"] = reply_address(ticket)
        link = ticket_url(ticket)
        if row.recipient_user_id is None and row.recipient_email == ticket.requester.email:
            cc = sorted(set(ticket.cc_contacts.values_list("email", flat=True)) - {row.recipient_email})
    if row.reason in AUTOMATIC_REASONS:
        headers["Auto-Submitted"] = "auto-replied" if row.reason == "acknowledgement" else "auto-generated"
    context = {"row": row, "ticket": ticket, "link": link, "body_html": body_html(row)}
    text = row.body.rstrip() + (f"\n\n--\nTicket #{ticket.number}: {link}\n" if ticket is not None else "\n")
    message = EmailMultiAlternatives(
        row.subject, text, settings.DEFAULT_FROM_EMAIL, [row.recipient_email], cc=cc, headers=headers
    )
    message.attach_alternative(render_to_string("tickets/email/notification.html", context), "text/html")
    return message


def send(row: Notification) -> None:
    build(row).send()

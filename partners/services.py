"""Side-conversation writes: start one, write to the partner, record the partner ticket number, take in the
partner's reply; and sending the pending partner mail (the rows are their own outbox)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks

from tickets import outbox
from tickets import services as ticket_services
from tickets.errors import InvalidInput, check_body_length
from tickets.mailing import new_message_id, support_address
from tickets.models import SUPPORT_TEAM, Ticket

from .models import SideConversation, SideMessage, TeamPartnerSettings

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
_TOKEN = re.compile(r"^(?P<local>[^+@]+)\+side-(?P<pk>\d{1,12})-(?P<sig>[0-9a-f]{16})@(?P<domain>.+)$")


def _signature(pk: int) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"side-reply:{pk}".encode(), hashlib.sha256).hexdigest()[
        :16
    ]


def reply_address(conversation: SideConversation) -> str:
    """``support+side-<id>-<hmac>@domain``: a partner whose mail client drops In-Reply-To still threads
    back (the HMAC makes the address impossible to guess)."""
    local, _, domain = support_address().partition("@")
    return f"{local}+side-{conversation.pk}-{_signature(conversation.pk)}@{domain}"


def conversation_for_addresses(addresses: list[str]) -> int | None:
    """The side conversation whose reply address is among ``addresses`` (signature checked)."""
    local, _, domain = support_address().partition("@")
    for address in addresses:
        found = _TOKEN.match(address.strip().lower())
        if found and found["local"] == local and found["domain"] == domain:
            pk = int(found["pk"])
            if hmac.compare_digest(found["sig"], _signature(pk)):
                return pk
    return None


def always_cc(ticket: Ticket) -> list[str]:
    """The addresses copied on this ticket's partner mail: its team's setting (the support team's when
    the ticket has no team)."""
    qs = TeamPartnerSettings.objects
    found = (
        qs.filter(team_id=ticket.team_id) if ticket.team_id else qs.filter(team__slug=SUPPORT_TEAM)
    ).first()
    return found.addresses() if found else []


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput("Write the message to the partner.", field="body")
    check_body_length(body)
    return body


def _queue(conversation: SideConversation, by: Any, body: str) -> SideMessage:
    message = SideMessage.objects.create(
        conversation=conversation,
        direction=SideMessage.Direction.OUT,
        author_user=by,
        from_email=support_address(),
        body=body,
        email_message_id=new_message_id(),
        state=SideMessage.State.PENDING,
    )
    if not any(entry[1] is _kick for entry in connection.run_on_commit):
        transaction.on_commit(_kick)
    return message


def start(
    ticket: Ticket,
    by: Any,
    *,
    partner_email: str,
    subject: str,
    body: str,
    partner_name: str = "",
    partner_ticket: str = "",
) -> SideConversation:
    """Open a side conversation and email the partner (the team's always-CC addresses copied)."""
    partner_email = (partner_email or "").strip().lower()
    try:
        validate_email(partner_email)
    except ValidationError:
        raise InvalidInput("Enter the partner's email address.", field="partner_email") from None
    if partner_email == ticket.requester.email.lower():
        raise InvalidInput(
            "That is the requester's address: a side conversation is with a third party.",
            field="partner_email",
        )
    if ticket.cc_contacts.filter(email__iexact=partner_email).exists():
        raise InvalidInput(
            "That address is copied on the ticket's conversation with the requester: a side conversation "
            "is with a third party the requester's side never sees.",
            field="partner_email",
        )
    subject = (subject or "").strip()
    if not subject:
        raise InvalidInput("Give the email a subject.", field="subject")
    body = _clean_body(body)
    with transaction.atomic():
        locked = ticket_services.lock(ticket)
        cc = [a for a in always_cc(locked) if a != partner_email]
        conversation = SideConversation.objects.create(
            ticket=locked,
            partner_email=partner_email,
            partner_name=(partner_name or "").strip()[:200],
            subject=subject[:200],
            partner_ticket=(partner_ticket or "").strip()[:100],
            cc=cc,
            created_by=by,
        )
        _queue(conversation, by, body)
        ticket_services.record(locked, "side_conversation_started", by, conversation=conversation.pk)
    return conversation


def write(conversation: SideConversation, by: Any, body: str) -> SideMessage:
    body = _clean_body(body)
    with transaction.atomic():
        ticket_services.lock(conversation.ticket_id)
        message = _queue(conversation, by, body)
        ticket_services.record(conversation.ticket, "side_message_sent", by, conversation=conversation.pk)
    return message


def set_partner_ticket(conversation: SideConversation, by: Any, number: str) -> SideConversation:
    number = (number or "").strip()
    if len(number) > 100:
        raise InvalidInput("A partner ticket number has at most 100 characters.", field="partner_ticket")
    with transaction.atomic():
        old = conversation.partner_ticket
        conversation.partner_ticket = number
        conversation.save(update_fields=["partner_ticket"])
        ticket_services.record(
            conversation.ticket, "partner_ticket_set", by, old=old or None, new=number or None
        )
    return conversation


def receive(
    conversation: SideConversation, *, from_email: str, body: str, message_id: str, inbound: Any
) -> SideMessage:
    """The partner's reply, found by Message-ID in the inbound path; the ticket's owner is told in the app.
    Nothing is added to the ticket's conversation and the requester is not told."""
    ticket = conversation.ticket
    message = SideMessage.objects.create(
        conversation=conversation,
        direction=SideMessage.Direction.IN,
        from_email=from_email[:254],
        body=(body or "").strip() or "(no text)",
        email_message_id=message_id[:250],
        state=SideMessage.State.RECEIVED,
        inbound_email=inbound,
    )
    ticket_services.record(ticket, "partner_replied", None, conversation=conversation.pk)
    if ticket.assignee_id:
        outbox.notify_user(
            ticket,
            ticket.assignee,
            "partner_replied",
            f"partner_replied:{message.pk}",
            f"{from_email} answered the side conversation “{conversation.subject}” on #{ticket.number}.",
        )
    return message


def _kick() -> None:
    from .tasks import send_side_messages

    try:
        send_side_messages.delay()
    except Exception:  # broker down: beat sends them within a minute
        log.warning("could not queue send_side_messages; the periodic run will send them", exc_info=True)


def build(message: SideMessage) -> EmailMultiAlternatives:
    conversation = message.conversation
    earlier = list(
        conversation.messages.filter(id__lt=message.pk)
        .exclude(email_message_id="")
        .values_list("email_message_id", flat=True)
    )
    headers = {"Message-ID": message.email_message_id, "Reply-To": reply_address(conversation)}
    headers["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    if earlier:
        headers["In-Reply-To"] = earlier[-1]
        headers["References"] = " ".join(earlier[:1] + earlier[-19:] if len(earlier) > 20 else earlier)
    subject = conversation.subject if not earlier else f"Re: {conversation.subject}"
    if conversation.partner_ticket and conversation.partner_ticket not in subject:
        subject = f"{subject} (your ref. {conversation.partner_ticket})"
    email = EmailMultiAlternatives(
        subject[:250],
        message.body.rstrip() + "\n",
        settings.DEFAULT_FROM_EMAIL,
        [conversation.partner_email],
        cc=list(conversation.cc),
        headers=headers,
    )
    email.attach_alternative(linebreaks(escape(message.body)), "text/html")
    return email


def send_pending(limit: int = 100) -> int:
    """Send partner mail still pending, one row per transaction (locked, so two workers never both send)."""
    sent = 0
    ids = list(
        SideMessage.objects.filter(state=SideMessage.State.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            row = (
                SideMessage.objects.select_for_update(skip_locked=True)
                .select_related("conversation")
                .filter(pk=pk, state=SideMessage.State.PENDING)
                .first()
            )
            if row is None:
                continue
            row.attempts += 1
            try:
                build(row).send()
            except Exception as exc:  # one bad row never stops the rest; retried up to MAX_ATTEMPTS
                log.warning("partner mail %s failed", pk, exc_info=True)
                row.error = f"{type(exc).__name__}: {exc}"[:2000]
                if row.attempts >= MAX_ATTEMPTS:
                    row.state = SideMessage.State.FAILED
            else:
                row.state, row.sent_at, row.error = SideMessage.State.SENT, timezone.now(), ""
                sent += 1
            row.save(update_fields=["state", "sent_at", "error", "attempts"])
    return sent

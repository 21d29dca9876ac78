"""Processing a stored message, exactly once: the row is claimed with ``select_for_update(skip_locked)``
in the transaction that does the work, so a worker killed half-way leaves it ``received`` for the beat
sweep and two workers never both handle it. A failure rolls the work back and keeps the row ``failed``
with its error for a person (the Inbound problems screen)."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mail.models import InboundEmail
from mail.parsing import ParsedEmail, fallback_message_id, parse
from partners import inbound as partner_inbound
from tickets import fragments, outbox
from tickets import services as ticket_services
from tickets.mailing import support_address, ticket_for_addresses
from tickets.models import Contact, Message, Notification, Ticket

from . import people
from .blocklist import is_blocked

log = logging.getLogger(__name__)
_SUBJECT_NUMBER = re.compile(r"\[#(\d{1,10})\]")
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fwd?|fw|aw|wg|sv|tr)\s*:\s*)+", re.I)


class Held(Exception):
    pass


def process(pk: int) -> InboundEmail | None:
    """Process one stored message if it still waits; returns the row (None when another worker has it)."""
    with transaction.atomic():
        row = InboundEmail.objects.select_for_update(skip_locked=True).filter(pk=pk, state="received").first()
        if row is None:
            return None
        row.attempts += 1
        try:
            with transaction.atomic():
                _handle(row)
        except Held as exc:
            row.state, row.outcome = InboundEmail.State.HELD, str(exc)
        except Exception as exc:  # any failure: the work is rolled back, the row keeps the error
            log.exception("inbound email %s failed", pk)
            row.state, row.error = InboundEmail.State.FAILED, f"{type(exc).__name__}: {exc}"[:5000]
            row.ticket = row.message = None
        row.processed_at = timezone.now()
        row.save()
    return row


def sweep(limit: int = 500) -> int:
    """Process rows still ``received`` (a lost kick, a worker killed mid-way); returns how many ran."""
    ids = list(
        InboundEmail.objects.filter(state="received").order_by("id").values_list("id", flat=True)[:limit]
    )
    done = 0
    for pk in ids:
        try:
            done += process(pk) is not None
        except Exception:  # one bad row never stops the batch
            log.exception("sweep: inbound email %s", pk)
    return done


def _handle(row: InboundEmail) -> None:
    parsed = parse(bytes(row.raw))
    row.email_message_id = row.email_message_id or parsed.message_id or fallback_message_id(bytes(row.raw))
    row.from_email = (parsed.from_email or row.envelope_from).lower()[:320]
    row.subject = parsed.subject[:250]
    row.full_text, row.html = parsed.text, parsed.html
    row.error = "\n".join(parsed.warnings)[:5000]
    if not row.from_email:
        raise ValueError("The message has no From address, so there is nobody to answer.")
    if parsed.is_bounce:
        return _bounce(row, parsed)
    skip = _skip_reason(row, parsed)
    if skip:
        row.state, row.outcome = InboundEmail.State.DISCARDED, skip
        return
    if is_blocked(row.from_email):
        row.state, row.outcome = InboundEmail.State.BLOCKED, "The sender is on the blocklist."
        return
    side = partner_inbound.conversation_for(parsed.thread_ids, [*parsed.to, *parsed.cc, *row.envelope_to])
    if side is not None:  # a partner answering a side conversation: never the ticket's conversation
        row.ticket, row.state = side.ticket, InboundEmail.State.PROCESSED
        row.outcome = partner_inbound.take(side, row, parsed)
        return None
    forwarder = people.staff_user_for(row.from_email) if parsed.forwarded_from else None
    if forwarder is not None:
        return _forwarded(row, parsed, forwarder)
    contact = people.contact_for(row.from_email, parsed.from_name)
    ticket, stranger_of = (None, None) if row.channel == "contact" else _match(parsed, row, contact)
    if ticket is not None:
        return _reply(row, parsed, contact, ticket)
    _new_ticket(row, parsed, contact, stranger_of=stranger_of)


def _skip_reason(row: InboundEmail, parsed: ParsedEmail) -> str:
    ours = support_address()
    local, _, domain = ours.partition("@")
    if row.from_email == ours or (
        row.from_email.startswith(local + "+") and row.from_email.endswith("@" + domain)
    ):
        return "Sent by our own support address (a mail loop)."
    if parsed.auto_reason:
        return f"Automatic message ({parsed.auto_reason}): no ticket, no reply."
    duplicate = (
        InboundEmail.objects.filter(
            email_message_id=row.email_message_id, state="processed", from_email=row.from_email
        )
        .exclude(pk=row.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if duplicate:
        return f"The same message was already received (#{duplicate})."
    return ""


def _match(parsed: ParsedEmail, row: InboundEmail, contact: Contact) -> tuple[Ticket | None, Ticket | None]:
    """(ticket to append to, ticket the message pointed at but the sender is not on)."""
    candidate = _by_thread(parsed.thread_ids) or ticket_for_addresses(
        [*parsed.to, *parsed.cc, *row.envelope_to]
    )
    if candidate is not None:
        return (candidate, None) if people.may_write_to(candidate, contact) else (None, candidate)
    match = _SUBJECT_NUMBER.search(parsed.subject)
    if match:
        ticket = Ticket.objects.filter(number=int(match.group(1))).first()
        if ticket is not None:
            on_ticket = ticket.requester_id == contact.pk or ticket.cc_contacts.filter(pk=contact.pk).exists()
            return (ticket, None) if on_ticket else (None, ticket)
    return None, None


def _by_thread(ids: list[str]) -> Ticket | None:
    if not ids:
        return None
    ticket_id = (
        Message.objects.filter(email_message_id__in=ids)
        .order_by("-id")
        .values_list("ticket_id", flat=True)
        .first()
        or Notification.objects.filter(email_message_id__in=ids, ticket__isnull=False)
        .order_by("-id")
        .values_list("ticket_id", flat=True)
        .first()
    )
    return Ticket.objects.filter(pk=ticket_id).first() if ticket_id else None


def _reply(row: InboundEmail, parsed: ParsedEmail, contact: Contact, ticket: Ticket) -> None:
    message = ticket_services.add_requester_reply(ticket, contact, parsed.reply_text or "(no text)")
    _finish_message(row, parsed, message)
    if message.ticket_id == ticket.pk:
        people.update_ccs(ticket, contact, [*parsed.to, *parsed.cc])
        row.outcome = f"Added to #{ticket.number}."
    elif message.ticket.follow_up_of_id == ticket.pk:
        row.outcome = f"#{ticket.number} was closed: opened #{message.ticket.number}."
    else:  # merged: the reply went to the ticket it was merged into
        row.outcome = f"#{ticket.number} was merged: added to #{message.ticket.number}."
    row.state = InboundEmail.State.PROCESSED


def _new_ticket(
    row: InboundEmail, parsed: ParsedEmail, contact: Contact, *, stranger_of: Ticket | None = None, by=None
) -> Ticket:
    _check_cap(row, contact)
    subject = _SUBJECT_PREFIX.sub("", parsed.subject).strip() or "(no subject)"
    # The newest text (quoted history folded away; the full original is one click away), but all of a
    # forwarded message: the forwarded part is the request.
    text = parsed.text if parsed.forwarded_from else (parsed.reply_text or parsed.text)
    ticket = ticket_services.open_ticket(contact, subject, text or "(no text)")
    message = ticket.messages.get()
    _finish_message(row, parsed, message, whole=True)
    if row.channel != "contact":
        people.update_ccs(ticket, contact, [*parsed.to, *parsed.cc])
    row.state, row.outcome = InboundEmail.State.PROCESSED, f"Opened #{ticket.number}."
    if stranger_of is not None:
        locked = ticket_services.lock(ticket)
        ticket_services.add_system_note(
            locked,
            f"This email looks like a reply to #{stranger_of.number}, but {contact.email} is not on that "
            "ticket, so it was kept separate as a new ticket.",
        )
        row.outcome = f"Sender is not on #{stranger_of.number}: opened #{ticket.number} instead."
    _acknowledge(row, ticket, contact)
    return ticket


def _check_cap(row: InboundEmail, contact: Contact) -> None:
    if row.allow_over_cap:
        return
    cap = settings.HELPDESK_MAIL_SENDER_CAP
    since = timezone.now() - dt.timedelta(hours=1)
    if Ticket.objects.filter(requester=contact, created_at__gte=since).count() >= cap:
        raise Held(f"{contact.email} already opened {cap} tickets in the last hour; held for review.")


def _acknowledge(row: InboundEmail, ticket: Ticket, contact: Contact) -> None:
    org = ticket.organization
    if org is not None and not org.send_acknowledgements:
        return
    link = ""
    if row.channel == "contact":
        from mail.contact_links import contact_link

        link = f"\n\nYou can follow and answer it here, no password needed:\n{contact_link(ticket, contact)}"
    body = (
        f"Hi {contact.name},\n\nThank you for writing to us. We received your request “{ticket.subject}” "
        f"as ticket #{ticket.number} and will get back to you soon. Reply to this email to add anything."
        f"{link}\n\n— The support team"
    )
    outbox.notify_requester(ticket, "acknowledgement", f"acknowledgement:{ticket.pk}", body)


def _finish_message(row: InboundEmail, parsed: ParsedEmail, message: Message, *, whole: bool = False) -> None:
    """Message-ID, the sanitised HTML (only for a whole message: a reply shows its folded text, the full
    original is one click away) and the attachments."""
    fields = {"email_message_id": row.email_message_id}
    if whole and parsed.html:
        fields["body_html"] = parsed.html
    Message.objects.filter(pk=message.pk).update(**fields)
    fragments.messages_written([message.ticket_id])
    for name, value in fields.items():
        setattr(message, name, value)
    _attachments(parsed, message)
    row.ticket_id, row.message = message.ticket_id, message


def _attachments(parsed: ParsedEmail, message: Message) -> None:
    if not parsed.attachments:
        return
    from attachments.services import store_bytes

    for item in parsed.attachments:
        store_bytes(
            message,
            filename=item.filename,
            content=item.content,
            declared_type=item.content_type,
            content_id=item.content_id,
        )


def _forwarded(row: InboundEmail, parsed: ParsedEmail, agent) -> None:  # noqa: ANN001
    name, address = parsed.forwarded_from or ("", "")
    row.forwarded_by = agent
    contact = people.contact_for(address, name)
    ticket = _new_ticket(row, parsed, contact)
    locked = ticket_services.lock(ticket)
    who = agent.get_full_name() or agent.get_username()
    ticket_services.add_system_note(locked, f"Forwarded to support by {who} ({row.from_email}).")
    row.outcome = f"Forwarded by {who}: opened #{ticket.number} for {address}."


def _bounce(row: InboundEmail, parsed: ParsedEmail) -> None:
    notice = (
        Notification.objects.filter(email_message_id__in=parsed.bounced_message_ids)
        .select_related("ticket")
        .first()
        if parsed.bounced_message_ids
        else None
    )
    row.state = InboundEmail.State.PROCESSED
    summary = parsed.bounce_summary or parsed.subject
    if notice is None:
        side = partner_inbound.bounced(parsed.bounced_message_ids, summary)
        if side is not None:  # our email to a partner (side conversation) bounced
            row.ticket, row.outcome = side.ticket, f"Bounce of our email to the partner {side.partner_email}."
            return
        row.state, row.outcome = InboundEmail.State.DISCARDED, "Delivery report for an email we did not send."
        return
    Notification.objects.filter(pk=notice.pk).update(state="failed", error=f"Bounced: {summary}"[:2000])
    row.notification, row.ticket = notice, notice.ticket
    row.outcome = f"Bounce of our email to {notice.recipient_email}."
    if notice.ticket is not None:
        locked = ticket_services.lock(notice.ticket)
        ticket_services.add_system_note(
            locked, f"Our email to {notice.recipient_email} (“{notice.subject}”) bounced: {summary}"
        )

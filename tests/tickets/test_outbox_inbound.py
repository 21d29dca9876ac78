from django.core import mail

from tests.factories import ContactFactory
from tickets import inbound, outbox, services
from tickets.models import InboundMessage, Notification, Status, Ticket


def test_outbox_sends_once(ticket, agent):
    services.add_reply(ticket, agent, "Answer one")
    assert outbox.send_pending() == 1
    assert outbox.send_pending() == 0
    assert len(mail.outbox) == 1 and "Answer one" in mail.outbox[0].body
    assert Notification.objects.get().state == "sent"


def test_same_dedupe_key_is_queued_once(ticket):
    assert outbox.notify_requester(ticket, "r", "same-key", "x") is not None
    assert outbox.notify_requester(ticket, "r", "same-key", "x") is None
    assert Notification.objects.filter(dedupe_key="same-key").count() == 1


def test_a_claimed_row_is_not_sent_again(ticket, agent):
    services.add_reply(ticket, agent, "Answer")
    Notification.objects.update(state="sending")  # another worker holds it
    assert outbox.send_pending() == 0 and not mail.outbox


def test_failed_send_is_recorded(ticket, agent, settings):
    settings.EMAIL_BACKEND = "tests.tickets.broken_mail.Backend"
    settings.HELPDESK_OUTBOX_MAX_ATTEMPTS = 1
    services.add_reply(ticket, agent, "Answer")
    assert outbox.send_pending() == 0
    row = Notification.objects.get()
    assert row.state == "failed" and "SMTP down" in row.error


def test_inbound_new_ticket_and_reply(db):
    contact = ContactFactory(email="owner@client.example")
    row = inbound.receive("Owner@Client.example", "Help", "Calendar broken")
    ticket = Ticket.objects.get(pk=row.ticket_id)
    assert ticket.requester == contact and row.processed_at
    services.change_status(ticket, Status.PENDING)
    inbound.receive("owner@client.example", "Re: Help", "Still broken", ticket_number=ticket.number)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.messages.count() == 2


def test_inbound_from_stranger_to_someone_elses_ticket_opens_new_ticket(ticket):
    row = inbound.receive("stranger@elsewhere.example", "Hi", "Let me in", ticket_number=ticket.number)
    assert row.ticket_id != ticket.pk and ticket.messages.count() == 1


def test_inbound_empty_body_is_kept_with_error(db):
    row = inbound.receive("someone@client.example", "Empty", "   ")
    assert row.processed_at is None and "needs a description" in row.error
    assert InboundMessage.objects.filter(pk=row.pk).exists()  # nothing the requester sent is dropped

import pytest

from tests.factories import TicketFactory
from tickets import services
from tickets.errors import IllegalTransition, InvalidInput
from tickets.models import Message, Notification, Status, Ticket


@pytest.mark.parametrize("body", ["", "   ", "\n\t"])
def test_empty_reply_is_refused_and_nothing_stored(ticket, agent, body):
    before = Message.objects.count()
    with pytest.raises(InvalidInput, match="Write something"):
        services.add_reply(ticket, agent, body, status=Status.PENDING)
    ticket.refresh_from_db()
    assert Message.objects.count() == before and ticket.status == Status.OPEN


def test_public_reply_sets_first_response_and_notifies_requester(ticket, agent):
    services.add_reply(ticket, agent, "Here is the fix", status=Status.PENDING)
    ticket.refresh_from_db()
    assert ticket.first_response_at and ticket.last_public_reply_at
    note = Notification.objects.get(reason="reply")
    assert note.recipient_email == ticket.requester.email and "Here is the fix" in note.body


def test_internal_note_never_notifies_requester(ticket, agent):
    services.add_note(ticket, agent, "Secret internal detail")
    assert not Notification.objects.filter(recipient_email=ticket.requester.email).exists()
    ticket.refresh_from_db()
    assert ticket.first_response_at is None


def test_reply_with_illegal_status_stores_nothing(db, agent):
    closed = TicketFactory(status=Status.CLOSED)
    with pytest.raises(IllegalTransition):
        services.add_reply(closed, agent, "hello", status=Status.PENDING)
    assert not closed.messages.exists()


@pytest.mark.parametrize("status", [Status.PENDING, Status.WAITING, Status.HOLD, Status.RESOLVED])
def test_requester_reply_reopens(ticket, agent, status):
    services.add_reply(ticket, agent, "Answer", status=status, hold_days=5)
    services.add_requester_reply(ticket, ticket.requester, "Still broken")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.next_action_at is None
    assert ticket.last_requester_reply_at


def test_requester_reply_to_closed_opens_linked_ticket(ticket, agent):
    services.update_ticket(ticket, None, tier="t1", assignee=agent)
    services.change_status(ticket, Status.CLOSED, by=agent)
    message = services.add_requester_reply(ticket, ticket.requester, "One more thing")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    new = Ticket.objects.get(pk=message.ticket_id)
    assert new.pk != ticket.pk and new.follow_up_of == ticket and new.status == Status.OPEN
    assert new.tier == "triage" and new.subject.startswith("Re: ")
    assert ticket.events.filter(verb="follow_up_opened", data__number=new.number).exists()
    told = {
        n.recipient_email or n.recipient_user.username: n.body
        for n in Notification.objects.filter(reason="follow_up_opened")
    }
    assert f"opened a new request, #{new.number}" in told[ticket.requester.email]
    assert f"new ticket #{new.number}" in told[agent.username]


def test_ticket_numbers_are_sequential(contact):
    first = services.open_ticket(contact, "A", "a")
    second = services.open_ticket(contact, "B", "b")
    assert second.number == first.number + 1


def test_open_ticket_validates(contact):
    with pytest.raises(InvalidInput, match="subject"):
        services.open_ticket(contact, " ", "body")
    with pytest.raises(InvalidInput, match="priority"):
        services.open_ticket(contact, "s", "body", priority="asap")
    assert not Ticket.objects.exists()

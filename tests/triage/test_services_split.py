from __future__ import annotations

import pytest

from tickets import services as ticket_services
from tickets.errors import InvalidInput
from tickets.models import Kind, Team, TicketEvent, Tier, Visibility
from triage import services, split

pytestmark = pytest.mark.django_db


def test_split_moves_the_question_to_a_new_ticket_in_triage(open_ticket, triage_lead, agent):
    ticket = open_ticket("Calendar sync", "My calendar stopped syncing.")
    services.triage_approve(ticket=ticket, actor=triage_lead, tier=Tier.T2, assignee=agent)
    question = "Also — unrelated — how do I export last year's invoices?\nThanks, Una"
    message = ticket_services.add_requester_reply(ticket, ticket.requester, question)
    original_bodies = list(ticket.messages.values_list("pk", "body"))

    new = split.split_ticket(
        ticket=ticket, message=message, actor=agent, subject="Export last year's invoices", kind=Kind.QUESTION
    )

    assert new.split_from == ticket and new.subject == "Export last year's invoices"
    assert new.tier == Tier.TRIAGE and new.assignee is None and not new.triage_decision
    assert new.team == Team.objects.get(slug="helpdesk")
    first = new.messages.order_by("created_at", "id").first()
    assert first.body == question.strip() and first.author_contact == ticket.requester  # every word kept
    # nothing cut out of the original conversation
    assert all(ticket.messages.get(pk=pk).body == body for pk, body in original_bodies)
    assert ticket.messages.filter(visibility=Visibility.INTERNAL, body__contains=f"#{new.number}").exists()
    assert new.messages.filter(visibility=Visibility.INTERNAL, body__contains="unrelated question").exists()
    assert TicketEvent.objects.filter(ticket=ticket, verb="split", data__into=new.number).exists()
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T2 and ticket.assignee == agent


def test_split_needs_a_title_and_a_message_of_this_ticket(open_ticket, agent):
    a, b = open_ticket("A"), open_ticket("B")
    msg_b = b.messages.first()
    with pytest.raises(InvalidInput) as exc:
        split.split_ticket(ticket=a, message=a.messages.first(), actor=agent, subject=" ")
    assert exc.value.field == "subject"
    with pytest.raises(InvalidInput) as exc:
        split.split_ticket(ticket=a, message=msg_b, actor=agent, subject="X")
    assert exc.value.field == "message"


def test_internal_notes_cannot_be_split(open_ticket, agent):
    ticket = open_ticket()
    note = ticket_services.add_note(ticket, agent, "internal only")
    with pytest.raises(InvalidInput):
        split.split_ticket(ticket=ticket, message=note, actor=agent, subject="X")

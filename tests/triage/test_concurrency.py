"""Two leads decide the same ticket at the same moment: exactly one decision lands (PostgreSQL row locks)."""

from __future__ import annotations

import pytest

from tests.concurrency import at_once, require_row_locks
from tests.factories import ContactFactory, OrganizationFactory, UserFactory
from tickets import services as ticket_services
from tickets.models import Message, Ticket, TicketEvent, Tier
from triage import services

pytestmark = pytest.mark.usefixtures("celery_eager")  # the tasks queued on commit run


@pytest.mark.django_db(transaction=True)
def test_two_leads_at_once_make_one_decision():
    require_row_locks()
    pdm = UserFactory(username="pdm2", role="Manager")
    contact = ContactFactory(organization=OrganizationFactory(programme_delivery_manager=pdm))
    ticket = ticket_services.open_ticket(contact, "Race", "Two leads at once")
    leads = [UserFactory(username=f"lead{i}", role="Triage lead") for i in range(2)]
    outcomes = at_once(
        lambda: services.triage_approve(
            ticket=Ticket.objects.get(pk=ticket.pk), actor=leads[0], tier=Tier.T2
        ),
        lambda: services.triage_project(
            ticket=Ticket.objects.get(pk=ticket.pk), actor=leads[1], message="This is project work."
        ),
        expected=(services.AlreadyTriaged,),
    )
    lost = [str(o) for o in outcomes if isinstance(o, services.AlreadyTriaged)]
    assert len(lost) == 1 and lost[0].startswith("Already triaged by")
    assert TicketEvent.objects.filter(ticket=ticket, verb="triaged").count() == 1
    decided = Ticket.objects.get(pk=ticket.pk)
    assert decided.triage_decision in ("approved", "project")
    # the loser wrote nothing: one decision note only
    assert Message.objects.filter(ticket=ticket, body__in=["Project", "Approved for T2."]).count() == 1

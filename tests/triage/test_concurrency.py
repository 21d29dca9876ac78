"""Two leads decide the same ticket at the same moment: exactly one decision lands (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tickets import services as ticket_services
from tickets.models import Message, Ticket, TicketEvent, Tier
from tests.factories import ContactFactory, OrganizationFactory, UserFactory
from triage import services


@pytest.mark.django_db(transaction=True)
def test_two_leads_at_once_make_one_decision():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (select_for_update is a no-op); this race is only meaningful on "
                    "PostgreSQL")
    pdm = UserFactory(username="pdm2", role="Manager")
    contact = ContactFactory(organization=OrganizationFactory(programme_delivery_manager=pdm))
    ticket = ticket_services.open_ticket(contact, "Race", "Two leads at once")
    leads = [UserFactory(username=f"lead{i}", role="Triage lead") for i in range(2)]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(i: int) -> None:
        try:
            barrier.wait()
            if i == 0:
                services.triage_approve(ticket=Ticket.objects.get(pk=ticket.pk), actor=leads[0], tier=Tier.T2)
            else:
                services.triage_project(ticket=Ticket.objects.get(pk=ticket.pk), actor=leads[1], message="This is project work.")
            results.append("ok")
        except services.AlreadyTriaged as exc:
            results.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results)[1] == "ok" and sorted(results)[0].startswith("Already triaged by")
    assert TicketEvent.objects.filter(ticket=ticket, verb="triaged").count() == 1
    decided = Ticket.objects.get(pk=ticket.pk)
    assert decided.triage_decision in ("approved", "project")
    # the loser wrote nothing: one decision note only
    assert Message.objects.filter(ticket=ticket, body__in=["Project", "Approved for T2."]).count() == 1

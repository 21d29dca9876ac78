"""The status machine, table-driven: every (from, to) pair is either legal or raises, and nothing is
stored on an illegal move."""

import itertools

import pytest

from tests.factories import TicketFactory
from tickets import services
from tickets.errors import IllegalTransition, InvalidInput, StaleTicket
from tickets.models import Status, TicketEvent

LEGAL = {
    ("open", "pending"),
    ("open", "waiting"),
    ("open", "hold"),
    ("open", "review"),
    ("open", "resolved"),
    ("open", "closed"),
    ("review", "open"),
    ("review", "pending"),
    ("review", "waiting"),
    ("review", "hold"),
    ("review", "resolved"),
    ("review", "closed"),
    ("pending", "open"),
    ("pending", "waiting"),
    ("pending", "hold"),
    ("pending", "review"),
    ("pending", "resolved"),
    ("pending", "closed"),
    ("waiting", "open"),
    ("waiting", "pending"),
    ("waiting", "hold"),
    ("waiting", "review"),
    ("waiting", "resolved"),
    ("waiting", "closed"),
    ("hold", "open"),
    ("hold", "pending"),
    ("hold", "waiting"),
    ("hold", "review"),
    ("hold", "resolved"),
    ("hold", "closed"),
    ("resolved", "open"),
    ("resolved", "review"),
    ("resolved", "closed"),
    ("closed", "open"),
}
PAIRS = list(itertools.product(Status.values, Status.values))


@pytest.mark.parametrize(("start", "to"), PAIRS)
def test_every_pair(db, agent, start, to):
    ticket = TicketFactory(status=start, hold_days=2 if start == "hold" else None)
    if (start, to) in LEGAL:
        services.change_status(ticket, to, by=agent, hold_days=3)
        ticket.refresh_from_db()
        assert ticket.status == to
        event = TicketEvent.objects.get(ticket=ticket, verb="status_changed")
        assert event.data["old"] == start and event.data["new"] == to and event.actor == agent
    else:
        with pytest.raises(IllegalTransition, match="cannot be moved to"):
            services.change_status(ticket, to, by=agent, hold_days=3)
        ticket.refresh_from_db()
        assert ticket.status == start
        assert not TicketEvent.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize("bad", ["reopened", "", "OPEN", None])
def test_unknown_status_is_refused(ticket, agent, bad):
    with pytest.raises(InvalidInput, match="Unknown status"):
        services.change_status(ticket, bad, by=agent)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


@pytest.mark.parametrize("days", [None, "", 0, -2, "three", 366])
def test_hold_needs_positive_days(ticket, agent, days):
    with pytest.raises(InvalidInput, match="On hold needs"):
        services.change_status(ticket, Status.HOLD, by=agent, hold_days=days)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.next_action_at is None


def test_stale_version_is_refused(ticket, agent):
    shown = ticket.version
    services.add_note(ticket, agent, "someone else edited")
    with pytest.raises(StaleTicket, match="changed since you opened it"):
        services.change_status(ticket, Status.PENDING, by=agent, expected_version=shown)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_timestamps_on_resolve_close_and_reopen(ticket, agent):
    services.change_status(ticket, Status.RESOLVED, by=agent)
    services.change_status(ticket, Status.CLOSED, by=agent)
    ticket.refresh_from_db()
    assert ticket.resolved_at and ticket.closed_at
    services.change_status(ticket, Status.OPEN, by=agent, note="Customer called back")
    ticket.refresh_from_db()
    assert ticket.closed_at is None and ticket.next_action == ""
    assert ticket.messages.filter(visibility="internal", body="Customer called back").exists()

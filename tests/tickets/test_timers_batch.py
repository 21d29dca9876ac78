"""Status moves of the timers job as batches (issue #20 §5): a chunk of due tickets is moved together and
every receiver of the other apps handles the whole chunk set-based (``status_changed_many``,
``events_recorded``) — each ticket's clock stopped or resumed once, its events and notices written once,
in the queries of one ticket; a second run changes nothing; a failing batch is retried ticket by ticket."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sla.models import SlaClock, TicketSlaState
from tests.factories import UserFactory
from tickets import services, signals
from tickets.models import Notification, Status, Ticket, TicketEvent
from tickets.timers import run_due_status_timers

pytestmark = pytest.mark.usefixtures("celery_eager")

DAY = dt.timedelta(days=1)
T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def run_at(when):
    with time_machine.travel(when, tick=False):
        return run_due_status_timers()


def _waiting_on_requester(agent, contact, n, status, **timer):
    """``n`` tickets moved to ``status`` by an agent at T0 (their SLA clock paused), timers as given."""
    with time_machine.travel(T0, tick=False):
        tickets = [services.open_ticket(contact, f"t{i}", "b") for i in range(n)]
        for t in tickets:
            services.change_status(t, status, by=agent, hold_days=3 if status == Status.HOLD else None)
    Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(**timer)
    return tickets


def _auto_resolve_due(agent, contact, n):
    return _waiting_on_requester(
        agent,
        contact,
        n,
        Status.PENDING,
        next_action="auto_resolve",
        reminders_sent=2,
        next_action_at=T0 + DAY,
    )


def _ids(tickets):
    return [t.pk for t in tickets]


def test_a_chunk_of_auto_resolves_stops_each_clock_and_notifies_once(db, agent, contact):
    tickets = _auto_resolve_due(agent, contact, 4)
    follower = UserFactory(username="follower", role="Agent")
    for t in tickets[:2]:
        t.followers.add(follower)
    Ticket.objects.filter(pk=tickets[3].pk).update(commitment_due_at=T0 + 2 * DAY)
    assert SlaClock.objects.filter(ticket__in=tickets, stopped_at=None, running_since=None).count() == 4

    assert run_at(T0 + DAY) == {"acted": 4, "skipped": 0, "failed": 0}

    for t in tickets:
        t.refresh_from_db()
        assert t.status == Status.RESOLVED and t.sla_band == "" and t.commitment_due_at is None
        assert not SlaClock.objects.filter(ticket=t, stopped_at=None).exists()
        stopped = SlaClock.objects.get(ticket=t, stop_reason=Status.RESOLVED)
        assert stopped.stopped_at == T0 + DAY and stopped.final_band
        assert t.events.filter(verb="sla_clock_stopped").count() == 1
        assert t.events.filter(verb="status_changed").count() == 2  # pending, then resolved
        assert Notification.objects.filter(ticket=t, reason="rating_request").count() == 1
        assert Notification.objects.filter(ticket=t, reason="auto_resolved").count() == 1
    notices = Notification.objects.filter(recipient_user=follower, reason="followed_status")
    assert sorted(notices.values_list("ticket_id", flat=True)) == sorted(_ids(tickets[:2]))
    assert TicketEvent.objects.filter(verb="commitment_dropped").get().ticket_id == tickets[3].pk

    # Run twice: the same state, no second notice, event or clock.
    state = list(Ticket.objects.filter(pk__in=_ids(tickets)).order_by("id").values())
    counts = (Notification.objects.count(), TicketEvent.objects.count(), SlaClock.objects.count())
    assert run_at(T0 + DAY) == {"acted": 0, "skipped": 0, "failed": 0}
    assert list(Ticket.objects.filter(pk__in=_ids(tickets)).order_by("id").values()) == state
    assert (Notification.objects.count(), TicketEvent.objects.count(), SlaClock.objects.count()) == counts


def test_a_chunk_of_auto_resolves_costs_the_queries_of_one(db, agent, contact):
    _auto_resolve_due(agent, contact, 1)
    with CaptureQueriesContext(connection) as one:
        assert run_at(T0 + DAY)["acted"] == 1
    _auto_resolve_due(agent, contact, 10)
    with CaptureQueriesContext(connection) as many:
        assert run_at(T0 + DAY)["acted"] == 10
    assert len(many.captured_queries) == len(one.captured_queries)
    assert SlaClock.objects.filter(stop_reason=Status.RESOLVED).count() == 11
    assert Notification.objects.filter(reason="rating_request").count() == 11


def test_a_chunk_back_from_waiting_resumes_each_clock_once(db, agent, contact):
    tickets = _waiting_on_requester(agent, contact, 3, Status.WAITING, next_action_at=T0 + DAY)
    assert run_at(T0 + DAY)["acted"] == 3
    for t in tickets:
        t.refresh_from_db()
        assert t.status == Status.OPEN and t.sla_band not in ("", "paused") and t.sla_yellow_until
        running = SlaClock.objects.get(ticket=t, stopped_at=None)
        assert running.running_since == T0 + DAY and running.paused_at is None
        assert t.events.filter(verb="sla_clock_resumed").count() == 1
        assert TicketSlaState.objects.get(ticket=t).nudge_due_at > T0 + DAY
    counts = (TicketEvent.objects.count(), SlaClock.objects.count())
    assert run_at(T0 + DAY)["acted"] == 0
    assert (TicketEvent.objects.count(), SlaClock.objects.count()) == counts


def test_a_chunk_back_from_hold_costs_the_queries_of_one(db, agent, contact):
    _waiting_on_requester(agent, contact, 1, Status.HOLD, next_action_at=T0 + DAY)
    with CaptureQueriesContext(connection) as one:
        assert run_at(T0 + DAY)["acted"] == 1
    _waiting_on_requester(agent, contact, 8, Status.HOLD, next_action_at=T0 + DAY)
    with CaptureQueriesContext(connection) as many:
        assert run_at(T0 + DAY)["acted"] == 8
    assert len(many.captured_queries) == len(one.captured_queries)
    assert TicketEvent.objects.filter(verb="sla_clock_resumed").count() == 9


def test_a_receiver_failing_for_one_ticket_is_retried_ticket_by_ticket(db, agent, contact):
    tickets = _auto_resolve_due(agent, contact, 4)
    bad = tickets[1]

    def fail(tickets, **kwargs):
        if any(t.pk == bad.pk for t in tickets):
            raise RuntimeError("receiver broke")

    signals.status_changed_many.connect(fail, dispatch_uid="test-batch-fail")
    try:
        assert run_at(T0 + DAY) == {"acted": 3, "skipped": 0, "failed": 1}
    finally:
        signals.status_changed_many.disconnect(dispatch_uid="test-batch-fail")
    for t in tickets:
        t.refresh_from_db()
        stopped = SlaClock.objects.filter(ticket=t, stop_reason=Status.RESOLVED).count()
        asked = Notification.objects.filter(ticket=t, reason="rating_request").count()
        if t == bad:  # rolled back whole, retried later
            assert (t.status, stopped, asked) == (Status.PENDING, 0, 0)
            assert t.events.filter(verb="timer_failed").count() == 1
        else:
            assert (t.status, stopped, asked) == (Status.RESOLVED, 1, 1)
            assert t.events.filter(verb="sla_clock_stopped").count() == 1


def test_a_persons_change_is_a_batch_of_one(ticket, agent):
    seen = []

    def listen(tickets, olds, new, **kwargs):
        seen.append(([t.pk for t in tickets], list(olds), new))

    signals.status_changed_many.connect(listen, dispatch_uid="test-batch-listen")
    try:
        services.change_status(ticket, Status.PENDING, by=agent)
    finally:
        signals.status_changed_many.disconnect(dispatch_uid="test-batch-listen")
    assert seen == [([ticket.pk], [Status.OPEN], Status.PENDING)]
    assert ticket.events.filter(verb="sla_clock_paused").count() == 1


def _ticket_updates(captured):
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "tickets_ticket"')]


@pytest.mark.parametrize(
    ("status", "timer"),
    [
        (Status.PENDING, {"next_action": "auto_resolve", "reminders_sent": 2}),  # the clock stopped
        (Status.WAITING, {}),  # the clock resumed
    ],
)
def test_a_chunks_status_move_writes_each_ticket_row_once(db, agent, contact, status, timer):
    """The SLA receivers' band and deadlines go into the status machine's own UPDATE (issue #20 §5)."""
    tickets = _waiting_on_requester(agent, contact, 3, status, next_action_at=T0 + DAY, **timer)
    with CaptureQueriesContext(connection) as chunk:
        assert run_at(T0 + DAY)["acted"] == 3
    assert len(_ticket_updates(chunk)) == 1
    for t in tickets:
        t.refresh_from_db()
        clock = SlaClock.objects.filter(ticket=t).order_by("-id").first()
        if status == Status.PENDING:
            assert (t.status, t.sla_band, t.sla_paused_green_seconds) == (Status.RESOLVED, "", None)
            assert clock.stopped_at == T0 + DAY
        else:
            assert t.status == Status.OPEN and t.sla_band == "green" and t.sla_green_until > T0 + DAY
            assert t.sla_paused_green_seconds is None and clock.running_since == T0 + DAY


def test_a_persons_change_writes_the_ticket_row_once(ticket, agent):
    version = ticket.version
    with CaptureQueriesContext(connection) as change:
        moved = services.change_status(ticket, Status.PENDING, by=agent)
    assert len(_ticket_updates(change)) == 1
    ticket.refresh_from_db()
    assert (ticket.status, ticket.sla_band, ticket.sla_green_until) == (Status.PENDING, "paused", None)
    assert ticket.sla_paused_green_seconds > 0 and ticket.version == moved.version == version + 1

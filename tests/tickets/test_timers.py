"""The timed status jobs (DESIGN §4), driven by a time machine instead of sleeping."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.concurrency import at_once, require_row_locks
from tests.factories import ContactFactory, OrganizationFactory
from tickets import services
from tickets.models import Message, Notification, Status, Ticket, TicketEvent
from tickets.timers import run_due_status_timers

pytestmark = pytest.mark.usefixtures("celery_eager")  # the tasks queued on commit run

DAY = dt.timedelta(days=1)
T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def reminders(ticket):
    return Notification.objects.filter(ticket=ticket, reason="pending_reminder")


@pytest.fixture
def pending(ticket, agent):
    with time_machine.travel(T0, tick=False):
        services.add_reply(ticket, agent, "Does this help?", status=Status.PENDING)
    ticket.refresh_from_db()
    return ticket


def run_at(when):
    with time_machine.travel(when, tick=False):
        return run_due_status_timers()


def test_pending_two_reminders_then_auto_resolve(pending):
    assert run_at(T0 + 3 * DAY - dt.timedelta(minutes=1))["acted"] == 0
    assert run_at(T0 + 3 * DAY)["acted"] == 1
    assert reminders(pending).count() == 1
    follow_ups = pending.messages.filter(
        visibility="public", kind="system"
    )  # 003: the follow-up is in the history
    assert follow_ups.count() == 1 and "make sure all is well" in follow_ups.get().body
    assert run_at(T0 + 6 * DAY - dt.timedelta(minutes=1))["acted"] == 0  # not before
    assert run_at(T0 + 6 * DAY)["acted"] == 1
    assert reminders(pending).count() == 2
    pending.refresh_from_db()
    assert pending.status == Status.PENDING and pending.next_action == "auto_resolve"
    assert pending.next_action_at == T0 + 9 * DAY
    assert run_at(T0 + 9 * DAY - dt.timedelta(minutes=1))["acted"] == 0
    run_at(T0 + 9 * DAY)
    pending.refresh_from_db()
    assert pending.status == Status.RESOLVED and pending.next_action == "auto_close"
    assert pending.messages.filter(visibility="internal", body__startswith="Resolved automatically").exists()
    notice = Notification.objects.get(ticket=pending, reason="auto_resolved")
    assert "marked it resolved" in notice.body and notice.recipient_email == pending.requester.email
    assert run_at(T0 + 13 * DAY - dt.timedelta(minutes=1))["acted"] == 0
    run_at(T0 + 13 * DAY)
    pending.refresh_from_db()
    assert pending.status == Status.CLOSED and pending.next_action_at is None
    assert reminders(pending).count() == 2


def test_running_twice_sends_one_reminder(pending):
    run_at(T0 + 3 * DAY)
    state = Ticket.objects.filter(pk=pending.pk).values().get()
    assert run_at(T0 + 3 * DAY) == {"acted": 0, "skipped": 0, "failed": 0}
    assert Ticket.objects.filter(pk=pending.pk).values().get() == state
    assert reminders(pending).count() == 1
    assert TicketEvent.objects.filter(ticket=pending, verb="reminder_sent").count() == 1


def test_reminder_text_is_public_and_friendly(pending):
    run_at(T0 + 3 * DAY)
    body = reminders(pending).get().body
    assert pending.requester.name in body and f"#{pending.number}" in body


def test_waiting_goes_back_to_open_after_ten_days_without_reminder(ticket, agent):
    with time_machine.travel(T0, tick=False):
        services.change_status(ticket, Status.WAITING, by=agent)
    run_at(T0 + 10 * DAY - dt.timedelta(seconds=1))
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    run_at(T0 + 10 * DAY)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and not reminders(ticket).exists()


def test_hold_goes_back_to_open_with_internal_note(ticket, agent):
    with time_machine.travel(T0, tick=False):
        services.change_status(ticket, Status.HOLD, by=agent, hold_days=5)
    run_at(T0 + 5 * DAY)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    note = ticket.messages.get(visibility="internal")
    assert "5-day hold has expired" in note.body
    assert not Notification.objects.filter(recipient_email=ticket.requester.email).exists()


def test_organization_override(db, agent):
    org = OrganizationFactory(resolved_close_days=1, waiting_reopen_days=2)
    ticket = services.open_ticket(ContactFactory(organization=org), "S", "B")
    with time_machine.travel(T0, tick=False):
        services.change_status(ticket, Status.RESOLVED, by=agent)
    ticket.refresh_from_db()
    assert ticket.next_action_at == T0 + DAY


def test_requester_reply_cancels_the_timer(pending):
    services.add_requester_reply(pending, pending.requester, "Thanks, but no")
    run_at(T0 + 30 * DAY)
    pending.refresh_from_db()
    assert pending.status == Status.OPEN and not reminders(pending).exists()


def test_malformed_row_is_skipped_and_batch_goes_on(db, agent, contact):
    good = services.open_ticket(contact, "good", "b")
    bad = services.open_ticket(contact, "bad", "b")
    with time_machine.travel(T0, tick=False):
        services.change_status(good, Status.WAITING, by=agent)
    # A timer that does not fit its status (e.g. written by hand or by an old release).
    Ticket.objects.filter(pk=bad.pk).update(next_action="auto_close", next_action_at=T0)
    counts = run_at(T0 + 11 * DAY)
    assert counts == {"acted": 1, "skipped": 0, "failed": 1}
    good.refresh_from_db(), bad.refresh_from_db()
    assert good.status == Status.OPEN
    assert bad.status == Status.OPEN and bad.next_action_at is None
    assert TicketEvent.objects.filter(ticket=bad, verb="timer_skipped").count() == 1
    assert run_at(T0 + 12 * DAY)["failed"] == 0


def test_chunks_cover_every_due_ticket(db, agent, contact):
    tickets = [services.open_ticket(contact, f"t{i}", "b") for i in range(7)]
    with time_machine.travel(T0, tick=False):
        for t in tickets:
            services.change_status(t, Status.RESOLVED, by=agent)
    with time_machine.travel(T0 + 5 * DAY, tick=False):
        assert run_due_status_timers(chunk=3)["acted"] == 7
    assert Ticket.objects.filter(status=Status.CLOSED).count() == 7


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_act_once(agent, contact):
    require_row_locks()
    tickets = [services.open_ticket(contact, f"t{i}", "b") for i in range(20)]
    past = timezone.now() - 4 * DAY
    for t in tickets:
        services.change_status(t, Status.PENDING, by=agent)
    Ticket.objects.update(next_action_at=past)
    results = at_once(run_due_status_timers, run_due_status_timers)
    assert sum(r["acted"] for r in results) == 20
    assert Notification.objects.filter(reason="pending_reminder").count() == 20
    assert (
        Message.objects.filter(
            kind="system", visibility="public", body__contains="make sure all is well"
        ).count()
        == 20
    )


def test_a_transient_failure_is_retried_not_dropped(pending, monkeypatch):
    from tickets import timers

    real_act, calls = timers._act, []

    def flaky(kind, tickets, now):
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        real_act(kind, tickets, now)

    monkeypatch.setattr(timers, "_act", flaky)
    first = T0 + 3 * DAY + dt.timedelta(minutes=1)
    assert run_at(first)["failed"] == 1
    pending.refresh_from_db()
    assert pending.next_action_at == first + timers.RETRY_AFTER and not reminders(pending).exists()
    assert TicketEvent.objects.filter(ticket=pending, verb="timer_failed").count() == 1
    assert run_at(first + timers.RETRY_AFTER)["acted"] == 1
    assert reminders(pending).count() == 1


def test_a_timer_failing_all_day_is_disarmed_visibly(pending, monkeypatch):
    from tickets import timers

    monkeypatch.setattr(timers, "_act", lambda kind, tickets, now: (_ for _ in ()).throw(RuntimeError("bug")))
    at = T0 + 3 * DAY + dt.timedelta(minutes=1)
    for _ in range(timers.MAX_FAILURES):
        run_at(at)
        at += timers.RETRY_AFTER
    pending.refresh_from_db()
    assert pending.next_action_at is None
    assert TicketEvent.objects.filter(ticket=pending, verb="timer_skipped").count() == 1


def test_a_new_answer_while_pending_restarts_the_reminders(pending, agent):
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        services.add_reply(pending, agent, "One more idea: clear the cache and try again.")
    assert run_at(T0 + 3 * DAY + dt.timedelta(minutes=1))["acted"] == 0  # 3 days after the first answer
    assert run_at(T0 + 5 * DAY + dt.timedelta(minutes=1))["acted"] == 1  # 3 days after the latest one
    assert reminders(pending).count() == 1


def _pending_tickets(agent, contact, n):
    tickets = [services.open_ticket(contact, f"t{i}", "b") for i in range(n)]
    with time_machine.travel(T0, tick=False):
        for t in tickets:
            services.change_status(t, Status.PENDING, by=agent)
    return tickets


def test_a_chunk_of_reminders_costs_the_queries_of_one(db, agent, contact):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _pending_tickets(agent, contact, 1)
    with CaptureQueriesContext(connection) as one:
        assert run_at(T0 + 3 * DAY)["acted"] == 1
    _pending_tickets(agent, contact, 12)
    with CaptureQueriesContext(connection) as many:
        assert run_at(T0 + 3 * DAY)["acted"] == 12
    assert len(many.captured_queries) == len(one.captured_queries)  # issue #20 §5: per chunk, not per ticket
    assert Notification.objects.filter(reason="pending_reminder").count() == 13
    assert TicketEvent.objects.filter(verb="reminder_sent").count() == 13
    assert run_at(T0 + 3 * DAY) == {"acted": 0, "skipped": 0, "failed": 0}  # run twice: one notice each
    assert Notification.objects.filter(reason="pending_reminder").count() == 13


def test_one_failing_ticket_does_not_hold_back_its_batch(db, agent, contact, monkeypatch):
    from tickets import timers

    tickets = _pending_tickets(agent, contact, 5)
    bad = tickets[2]
    real = timers._remind

    def remind(batch, now):
        if any(t.pk == bad.pk for t in batch):
            raise RuntimeError("mail template broke")
        real(batch, now)

    monkeypatch.setattr(timers, "_remind", remind)
    with time_machine.travel(T0 + 3 * DAY, tick=False):
        assert run_due_status_timers() == {"acted": 4, "skipped": 0, "failed": 1}
    assert set(Notification.objects.values_list("ticket_id", flat=True)) == {t.pk for t in tickets} - {bad.pk}
    bad.refresh_from_db()
    assert bad.reminders_sent == 0 and bad.next_action_at == T0 + 3 * DAY + timers.RETRY_AFTER
    assert TicketEvent.objects.filter(ticket=bad, verb="timer_failed").count() == 1
    for t in tickets:
        t.refresh_from_db()
        assert (t.reminders_sent, t.messages.filter(kind="system").count()) == (
            (0, 0) if t == bad else (1, 1)
        )


def test_the_reminder_and_the_automatic_resolution_show_in_a_workspace_seen_before(pending, login, agent):
    """The sweep writes its follow-ups and notes in bulk (no signal): it retires the conversation it
    changed, so the agent's cached workspace shows them on the next view."""
    c = login(agent)
    with time_machine.travel(T0 + DAY, tick=False):
        assert "make sure all is well" not in c.get(f"/tickets/{pending.number}/").content.decode()
    run_at(T0 + 3 * DAY)
    with time_machine.travel(T0 + 3 * DAY, tick=False):
        assert "make sure all is well" in c.get(f"/tickets/{pending.number}/").content.decode()
    run_at(T0 + 6 * DAY)
    run_at(T0 + 9 * DAY)
    with time_machine.travel(T0 + 9 * DAY, tick=False):
        assert "Resolved automatically" in c.get(f"/tickets/{pending.number}/").content.decode()

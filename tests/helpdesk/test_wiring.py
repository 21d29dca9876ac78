"""The project's composition (issue #11 §1–2): receivers connected in helpdesk/wiring.py run inside the
sender's transaction, so one that fails rolls the whole change back; the workspace lists its extensions
in helpdesk/workspace.py; URLs, API routes and beat jobs are listed by hand."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from helpdesk import workspace
from tickets import extensions, services, signals
from tickets.models import Status, Ticket, TicketEvent


class Boom(Exception):
    pass


def test_a_failing_receiver_rolls_the_change_back(ticket, agent):
    def fail(**kwargs):
        raise Boom

    signals.status_changed_many.connect(fail, dispatch_uid="test-fail")
    try:
        with pytest.raises(Boom):
            services.change_status(ticket, Status.PENDING, by=agent)
    finally:
        signals.status_changed_many.disconnect(dispatch_uid="test-fail")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert not TicketEvent.objects.filter(ticket=ticket, verb="status_changed").exists()


def test_every_domain_signal_has_its_receivers():
    def uids(signal):  # the receivers helpdesk/wiring.py connected (a test's own receiver has no uid)
        return sorted(key[0] for key, *_ in signal.receivers if isinstance(key[0], str))

    assert {name: uids(getattr(signals, name)) for name in signals.__all__} == {
        "ticket_created": ["sla.ticket_created"],
        "status_changed_many": ["knowledge.status_changed_many", "sla.status_changed_many"],
        "tier_changed": ["escalation.tier_changed", "sla.tier_changed"],
        "public_reply": ["knowledge.public_reply", "sla.public_reply"],
        "requester_replied": ["sla.requester_replied", "triage.requester_replied"],
        "left_queue": ["sla.left_queue"],
        "events_recorded": ["knowledge.on_events", "notifications.on_events"],
        "spam_changed": ["mail.spam_changed", "sla.spam_changed"],
    }


def test_the_installed_workspace_is_the_listed_one():
    assert extensions.current() is workspace.WORKSPACE
    assert extensions.current().time_left is not None and extensions.current().my_tiers is not None


def test_urls_api_routes_and_beat_are_listed():
    assert reverse("reports:dashboard") == "/dashboard/"
    assert reverse("triage:queue") == "/triage/"
    assert reverse("escalation:known_issues") == "/known-issues/"
    assert reverse("ticket-list") == "/api/tickets/" and reverse("sla-policy-list") == "/api/sla-policies/"
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tickets.tasks.run_due_status_timers" in tasks and "sla.tasks.update_sla_bands" in tasks
    assert Ticket  # the models import without any app's ready() registering anything

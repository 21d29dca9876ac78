"""004 T4 "not meeting SLA Green requirements by COB Tuesday … request an additional engineer on T4 on
Wed": acts after close of business on Tuesday only, exactly once a week, counted on the Playbook screen.
Default calendar: Monday–Friday 09:00–17:00 UTC."""

import datetime as dt

import pytest
import time_machine

from escalation.services import t4_check
from escalation.models import TierAssignment
from playbook.models import RuleRun
from playbook.selectors import week_figures
from tests.factories import UserFactory
from tickets import services as core
from tickets.models import Notification, SlaBand, Ticket, Tier

pytestmark = pytest.mark.django_db

TUESDAY_4PM = dt.datetime(2026, 12, 1, 16, 0, tzinfo=dt.UTC)
TUESDAY_6PM = dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.UTC)
WEDNESDAY_6PM = dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def t4_late(make_ticket, manager):
    ticket = make_ticket()
    core.update_ticket(ticket, None, tier=Tier.T4)
    Ticket.objects.filter(pk=ticket.pk).update(sla_band=SlaBand.RED)
    eng = UserFactory(username="t4eng", role="Agent")
    TierAssignment.objects.create(
        user=eng, tier=Tier.T4, starts_on=dt.date(2026, 11, 30), ends_on=dt.date(2026, 12, 6)
    )
    return ticket, eng


def test_before_close_of_business_nothing_happens(t4_late):
    with time_machine.travel(TUESDAY_4PM, tick=False):
        assert t4_check.run_t4_check() == {"checked": 0, "drafted": 0}
    assert not RuleRun.objects.exists()


def test_after_close_of_business_tuesday_the_request_is_drafted_once(t4_late, manager):
    ticket, eng = t4_late
    with time_machine.travel(TUESDAY_6PM, tick=False):
        assert t4_check.run_t4_check() == {"checked": 1, "drafted": 1}
        assert t4_check.run_t4_check() == {"checked": 0, "drafted": 0}  # exactly once
        draft = Notification.objects.get(reason="t4_additional_engineer")
        assert draft.recipient_user == eng
        assert "additional engineer on T4 on Wednesday" in draft.body and f"#{ticket.number}" in draft.body
        told = Notification.objects.get(reason="t4_not_green")
        assert told.recipient_user == manager and "t4eng" in told.body or eng.get_full_name() in told.body
        fig = week_figures()
        assert (fig["t4_checks"], fig["t4_drafted"]) == (1, 1)


def test_green_t4_is_checked_but_nobody_is_asked(t4_late):
    ticket, _eng = t4_late
    Ticket.objects.filter(pk=ticket.pk).update(sla_band=SlaBand.GREEN)
    with time_machine.travel(TUESDAY_6PM, tick=False):
        assert t4_check.run_t4_check() == {"checked": 1, "drafted": 0}
        assert not Notification.objects.filter(reason__startswith="t4_").exists()
        assert week_figures()["t4_drafted"] == 0


def test_other_days_do_nothing(t4_late):
    with time_machine.travel(WEDNESDAY_6PM, tick=False):
        assert t4_check.run_t4_check()["checked"] == 0

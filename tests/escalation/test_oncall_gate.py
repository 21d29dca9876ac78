"""004 "If it's during work hours, get a verification by your team lead, T2, etc. before escalating on
call": confirmation needed and recorded in working hours, straight through outside them, counted on the
Playbook screen. The clock is pinned (default calendar: Monday–Friday 09:00–17:00 UTC)."""

import datetime as dt

import pytest
import time_machine

from escalation.models import TierAssignment
from escalation.services import escalate
from playbook.selectors import week_figures
from tests.factories import UserFactory
from tickets import services as core
from tickets.errors import InvalidInput
from tickets.models import Tier

pytestmark = pytest.mark.django_db

TUESDAY_NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
TUESDAY_NIGHT = dt.datetime(2026, 12, 1, 22, 0, tzinfo=dt.UTC)


def _t1(ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    return ticket


def test_in_working_hours_an_agent_needs_a_confirmation_and_nothing_changes_without(agent, ticket):
    with time_machine.travel(TUESDAY_NOON, tick=False), pytest.raises(InvalidInput) as exc:
        escalate.escalate_up(_t1(ticket), agent, to_tier=Tier.ONCALL, questions=["Site down?"])
    assert exc.value.field == "confirmed_by"
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T1 and not ticket.events.filter(verb="escalated").exists()


def test_a_lead_or_todays_t2_confirms_and_it_is_recorded(agent, ticket, triage_lead):
    with time_machine.travel(TUESDAY_NOON, tick=False):
        escalate.escalate_up(
            _t1(ticket), agent, to_tier=Tier.ONCALL, questions=["Site down?"], confirmed_by=triage_lead
        )
        event = ticket.events.get(verb="escalated")
        assert event.data["working_hours"] is True and event.data["confirmed_by"] == triage_lead.pk
        assert ticket.messages.filter(body__contains="On-call escalation confirmed by").count() == 1
        assert week_figures()["oncall_confirmed"] == 1


def test_someone_not_allowed_to_confirm_is_refused(agent, ticket, make_ticket):
    other = UserFactory(role="Agent")
    with time_machine.travel(TUESDAY_NOON, tick=False):
        with pytest.raises(InvalidInput, match="neither a team lead nor on T2"):
            escalate.escalate_up(_t1(ticket), agent, to_tier=Tier.ONCALL, questions=["q"], confirmed_by=other)
        TierAssignment.objects.create(
            user=other, tier=Tier.T2, starts_on=dt.date(2026, 11, 30), ends_on=dt.date(2026, 12, 6)
        )
        escalate.escalate_up(ticket, agent, to_tier=Tier.ONCALL, questions=["q"], confirmed_by=other)
    ticket.refresh_from_db()
    assert ticket.tier == Tier.ONCALL


def test_a_lead_escalating_confirms_it_themselves(triage_lead, ticket):
    with time_machine.travel(TUESDAY_NOON, tick=False):
        escalate.escalate_up(_t1(ticket), triage_lead, to_tier=Tier.ONCALL, questions=["q"])
    assert ticket.events.get(verb="escalated").data["confirmed_by"] == triage_lead.pk


def test_outside_working_hours_it_goes_straight_through(agent, ticket):
    with time_machine.travel(TUESDAY_NIGHT, tick=False):
        escalate.escalate_up(_t1(ticket), agent, to_tier=Tier.ONCALL, questions=["Site down?"])
        event = ticket.events.get(verb="escalated")
        assert event.data["working_hours"] is False and event.data["confirmed_by"] is None
        assert week_figures()["oncall_after_hours"] == 1


def test_the_form_shows_the_error_on_the_field(login, agent, ticket):
    with time_machine.travel(TUESDAY_NOON, tick=True):
        _t1(ticket)
        ticket.refresh_from_db()
        response = login(agent).post(
            f"/escalation/tickets/{ticket.number}/up/",
            {"to_tier": "oncall", "question_1": "Site down?", "version": ticket.version},
        )
    assert response.status_code == 400
    assert "needs a team lead" in response.content.decode()

"""004 "Sending to Engagement" reasons, and "tickets should remain as Open once … sent to a different
department": counted on the Playbook screen."""

import pytest

from escalation.services import escalate, routing
from playbook.selectors import week_figures
from tests.factories import TeamFactory
from tickets import services as core
from tickets.errors import InvalidInput
from tickets.models import NextAction, Status, Tier

pytestmark = pytest.mark.django_db


def test_the_reason_is_recorded_noted_and_counted(agent, ticket):
    routing.send_to_engagement(ticket, agent, reason="invoice_dispute")
    event = ticket.events.get(verb="sent_to_engagement")
    assert event.data["reason"] == "invoice_dispute"
    assert ticket.messages.filter(body__contains="Pushing back on an invoice").exists()
    assert week_figures()["engagement:invoice_dispute"] == 1


def test_an_unknown_reason_is_refused_and_nothing_changes(agent, ticket):
    with pytest.raises(InvalidInput) as exc:
        routing.send_to_engagement(ticket, agent, reason="boredom")
    assert exc.value.field == "reason"
    ticket.refresh_from_db()
    assert ticket.team is None or ticket.team.slug != "engagement"


def test_the_screen_form_asks_for_the_reason(login, agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    response = login(agent).post(
        f"/escalation/tickets/{ticket.number}/engagement/", {"version": ticket.version}
    )
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.team is None or ticket.team.slug != "engagement"


@pytest.mark.parametrize("status", [Status.PENDING, Status.WAITING, Status.HOLD])
def test_routing_to_any_team_moves_a_paused_ticket_to_open_and_stops_reminders(agent, ticket, status):
    core.update_ticket(ticket, None, tier=Tier.T1)
    core.change_status(ticket, status, by=agent, **({"hold_days": 3} if status == Status.HOLD else {}))
    ticket.refresh_from_db()
    assert ticket.next_action_at is not None
    architecture = TeamFactory(slug="architecture", name="Architecture")
    core.route_to_team(ticket, agent, architecture)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.next_action == "" and ticket.next_action_at is None
    assert ticket.events.filter(verb="reopened_for_team").count() == 1
    core.route_to_team(ticket, agent, TeamFactory(slug="product", name="Product"))  # already Open: once
    assert ticket.events.filter(verb="reopened_for_team").count() == 1
    assert week_figures()["reopened_for_team"] == 1


def test_engagement_also_reopens(agent, ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    core.change_status(ticket, Status.PENDING, by=agent)
    routing.send_to_engagement(ticket, agent, reason="bad_news")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.next_action != NextAction.REMIND


# --- review tags (004 "Review Tags", configurable with debug-improvements among the defaults) ----------


def _t3(ticket):
    core.update_ticket(ticket, None, tier=Tier.T3)
    return ticket


def test_debug_improvements_is_a_default_review_tag_and_reaches_the_review_list(engineer, ticket):
    import datetime as dt

    from django.utils import timezone

    from escalation import selectors

    assert "debug-improvements" in selectors.other_review_tags()
    escalate.escalate_down(
        _t3(ticket),
        engineer,
        to_tier=Tier.T2,
        note="Logs lacked the request id.",
        other_tags=["debug-improvements"],
    )
    assert "debug-improvements" in set(ticket.tags.values_list("name", flat=True))
    review = list(selectors.review_events(timezone.now() - dt.timedelta(days=7)))
    assert [e.data["tag"] for e in review] == ["debug-improvements"]
    assert week_figures()["review_tagged"] == 1


def test_a_configured_tag_is_offered_and_an_unknown_one_refused(engineer, ticket, manager):
    from escalation.forms import EscalateDownForm
    from playbook import services as playbook

    playbook.set_param("review_tags", ["Missed Doc Review", "Process Tweak", "needs-macro"], manager)
    assert [c for c, _ in EscalateDownForm().fields["other_tags"].choices] == ["needs-macro"]
    with pytest.raises(InvalidInput) as exc:
        escalate.escalate_down(
            _t3(ticket), engineer, to_tier=Tier.T2, note="x", other_tags=["debug-improvements"]
        )
    assert exc.value.field == "other_tags"
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T3

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import ContactFactory, OrganizationFactory
from tickets import services as ticket_services
from tickets.errors import InvalidInput
from tickets.models import Message, Notification, Status, Team, Ticket, TicketEvent, Tier, Visibility
from triage import selectors, services
from triage.models import ProjectItem

pytestmark = pytest.mark.django_db


def _events(ticket, verb):
    return list(TicketEvent.objects.filter(ticket=ticket, verb=verb))


def _notes(ticket):
    return list(ticket.messages.filter(visibility=Visibility.INTERNAL).values_list("body", flat=True))


def test_it_approves_to_a_tier_with_assignee_and_priority(open_ticket, triage_lead, agent):
    ticket = open_ticket()
    services.triage_approve(ticket=ticket, actor=triage_lead, tier=Tier.T2, assignee=agent, priority="high")
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.assignee, ticket.priority) == (Tier.T2, agent, "high")
    assert ticket.triage_decision == "approved" and ticket.triaged_by == triage_lead and ticket.triaged_at
    assert any(n.startswith("Approved") for n in _notes(ticket))
    assert _events(ticket, "tier_changed")[0].data == {"old": "triage", "new": "t2"}
    assert _events(ticket, "triaged")[0].data["decision"] == "approved"
    assert _events(ticket, "priority_reviewed")
    # the agent was told (outbox); the requester only got the T2 transition comment (004 "known to require
    # T2 research – transition comment and escalate T2"), the Approved note is internal
    assert Notification.objects.filter(ticket=ticket, recipient_user=agent, reason="assigned").exists()
    to_requester = Notification.objects.filter(ticket=ticket, recipient_email=ticket.requester.email)
    assert list(to_requester.values_list("reason", flat=True)) == ["reply"]
    # the triage clock stopped and T2's SLA clock started (seed 004 table: green < 1 business day)
    from sla.models import SlaClock

    assert SlaClock.objects.get(ticket=ticket, tier="triage").stopped_at is not None
    running = SlaClock.objects.get(ticket=ticket, stopped_at__isnull=True)
    assert running.tier == "t2" and ticket.sla_band == "green" and ticket.sla_green_until is not None


def test_approve_fires_tier_changed(open_ticket, triage_lead):
    from tickets import signals

    seen = []

    def receiver(sender, ticket, old, new, **kwargs):
        seen.append((old, new))

    signals.tier_changed.connect(receiver)
    try:
        services.triage_approve(ticket=open_ticket(), actor=triage_lead, tier=Tier.T1)
    finally:
        signals.tier_changed.disconnect(receiver)
    assert seen == [("triage", "t1")]


@pytest.mark.parametrize("tier", ["", "triage", "t9", None])
def test_it_refuses_an_unknown_tier_and_stores_nothing(open_ticket, triage_lead, tier):
    ticket = open_ticket()
    before = TicketEvent.objects.count(), Message.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.triage_approve(ticket=ticket, actor=triage_lead, tier=tier)
    assert exc.value.field == "tier"
    ticket.refresh_from_db()
    assert ticket.triage_decision == "" and ticket.tier == Tier.TRIAGE
    assert (TicketEvent.objects.count(), Message.objects.count()) == before


def test_a_second_decision_answers_already_triaged_and_changes_nothing(open_ticket, triage_lead, manager):
    ticket = open_ticket()
    services.triage_approve(ticket=ticket, actor=triage_lead, tier=Tier.T1)
    before = TicketEvent.objects.count(), Message.objects.count(), Notification.objects.count()
    with pytest.raises(services.AlreadyTriaged) as exc:
        services.triage_project(ticket=ticket, actor=manager, message="Project work")
    assert str(exc.value).startswith(f"Already triaged by {triage_lead.get_full_name()} at ")
    with pytest.raises(services.AlreadyTriaged):
        services.triage_approve(ticket=ticket, actor=manager, tier=Tier.T3)
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T1 and ticket.triaged_by == triage_lead
    assert (TicketEvent.objects.count(), Message.objects.count(), Notification.objects.count()) == before
    assert not ProjectItem.objects.exists()


def test_project_tells_requester_keeps_content_resolves_and_notifies_pdm(open_ticket, triage_lead, org):
    ticket = open_ticket(subject="Rebuild our booking flow", body="We want a whole new booking flow.")
    ticket_services.add_requester_reply(ticket, ticket.requester, "Also with a new design, please.")
    services.triage_project(
        ticket=ticket,
        actor=triage_lead,
        message="This is project work, Pat will call.",
        note="Needs a discovery",
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.triage_decision == "project"
    item = ProjectItem.objects.get(ticket=ticket)
    assert "We want a whole new booking flow." in item.content and "new design" in item.content
    assert item.delivery_manager == org.programme_delivery_manager and item.organization == org
    reply = ticket.messages.get(visibility=Visibility.PUBLIC, author_user=triage_lead)
    assert reply.body == "This is project work, Pat will call."
    assert (
        Notification.objects.filter(
            ticket=ticket, recipient_email=ticket.requester.email, reason="reply"
        ).count()
        == 1
    )
    assert (
        Notification.objects.filter(
            ticket=ticket, recipient_user=org.programme_delivery_manager, reason="project_work"
        ).count()
        == 1
    )
    assert any(n.startswith("Project") for n in _notes(ticket))


def test_project_without_delivery_manager_is_refused_and_changes_nothing(triage_lead):
    contact = ContactFactory(organization=OrganizationFactory(name="No PDM Ltd"))
    ticket = ticket_services.open_ticket(contact, "Big thing", "Please build it.")
    before = TicketEvent.objects.count(), Message.objects.count(), Notification.objects.count()
    with pytest.raises(InvalidInput, match="No PDM Ltd has no programme delivery manager"):
        services.triage_project(ticket=ticket, actor=triage_lead, message="Project work")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and not ticket.triage_decision
    assert (TicketEvent.objects.count(), Message.objects.count(), Notification.objects.count()) == before
    assert not ProjectItem.objects.exists()


def test_project_needs_a_message(open_ticket, triage_lead):
    with pytest.raises(InvalidInput) as exc:
        services.triage_project(ticket=open_ticket(), actor=triage_lead, message="   ")
    assert exc.value.field == "message"


def test_reroute_to_team_and_person(open_ticket, triage_lead, agent):
    ticket = open_ticket()
    engagement = Team.objects.get(slug="engagement")
    services.triage_reroute(
        ticket=ticket,
        actor=triage_lead,
        team=engagement,
        assignee=agent,
        reason="Wants to close their account",
    )
    ticket.refresh_from_db()
    assert ticket.team == engagement and ticket.assignee == agent and ticket.triage_decision == "rerouted"
    assert any("Rerouted to Engagement" in n and "close their account" in n for n in _notes(ticket))


def test_rerouted_and_chargeable_tickets_stop_the_triage_clock(open_ticket, triage_lead, org):
    """They leave the triage queue but stay in the Triage tier: no triage breach for a lead at Engagement."""
    from sla.models import SlaClock

    rerouted, chargeable = open_ticket("Close my account"), open_ticket("Build us a plugin")
    assert SlaClock.objects.filter(ticket=rerouted, stopped_at__isnull=True).exists()
    services.triage_reroute(
        ticket=rerouted,
        actor=triage_lead,
        team=Team.objects.get(slug="engagement"),
        reason="Account closure: Engagement calls them",
    )
    services.triage_chargeable(ticket=chargeable, actor=triage_lead, explanation="New plugin", estimate="8")
    for t in (rerouted, chargeable):
        t.refresh_from_db()
        assert t.sla_green_until is None and t.sla_band == ""
        assert not SlaClock.objects.filter(ticket=t, stopped_at__isnull=True).exists()
        assert SlaClock.objects.get(ticket=t).stop_reason == "left_view"


def test_reroute_needs_a_target_and_a_reason(open_ticket, triage_lead):
    ticket = open_ticket()
    with pytest.raises(InvalidInput) as exc:
        services.triage_reroute(ticket=ticket, actor=triage_lead, reason="x")
    assert exc.value.field == "team"
    with pytest.raises(InvalidInput) as exc:
        services.triage_reroute(ticket=ticket, actor=triage_lead, team=Team.objects.first(), reason="")
    assert exc.value.field == "reason"


def test_chargeable_goes_to_account_manager_with_estimate(open_ticket, triage_lead, org):
    ticket = open_ticket()
    services.triage_chargeable(
        ticket=ticket, actor=triage_lead, explanation="New plugin development", estimate="2,5"
    )
    ticket.refresh_from_db()
    assert (
        ticket.chargeable
        and ticket.assignee == org.account_manager
        and ticket.triage_decision == "chargeable"
    )
    assert ticket.team.slug == "account-management"
    assert any("New plugin development" in n and "2.5 hours" in n for n in _notes(ticket))
    assert (
        Notification.objects.filter(recipient_user=org.account_manager, reason="chargeable_lead").count() == 1
    )
    assert _events(ticket, "triaged")[0].data["estimate_hours"] == "2.5"


@pytest.mark.parametrize(
    "estimate,field", [("", "estimate"), ("lots", "estimate"), ("-3", "estimate"), ("NaN", "estimate")]
)
def test_chargeable_refuses_bad_estimates(open_ticket, triage_lead, estimate, field):
    ticket = open_ticket()
    with pytest.raises(InvalidInput) as exc:
        services.triage_chargeable(
            ticket=ticket, actor=triage_lead, explanation="Out of scope", estimate=estimate
        )
    assert exc.value.field == field
    ticket.refresh_from_db()
    assert not ticket.chargeable and not ticket.triage_decision


def test_chargeable_needs_explanation(open_ticket, triage_lead):
    with pytest.raises(InvalidInput) as exc:
        services.triage_chargeable(ticket=open_ticket(), actor=triage_lead, explanation=" ", estimate="3")
    assert exc.value.field == "explanation"


def test_parse_estimate_rounds():
    assert services.parse_estimate("6") == Decimal("6.0")


def test_answer_now_replies_and_resolves(open_ticket, triage_lead):
    ticket = open_ticket()
    services.triage_answer(ticket=ticket, actor=triage_lead, body="Here is the 2FA reset.", status="resolved")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.triage_decision == "answered"
    assert ticket.assignee == triage_lead and ticket.first_response_at
    assert Notification.objects.filter(ticket=ticket, recipient_email=ticket.requester.email).count() == 1


def test_answer_now_rejects_other_statuses(open_ticket, triage_lead):
    with pytest.raises(InvalidInput) as exc:
        services.triage_answer(ticket=open_ticket(), actor=triage_lead, body="Hi", status="closed")
    assert exc.value.field == "status"


def test_bulk_approve_reports_each_ticket(open_ticket, triage_lead):
    a, b = open_ticket("A one two"), open_ticket("B three four")
    services.triage_approve(ticket=b, actor=triage_lead, tier=Tier.T3)
    outcomes = services.bulk_approve(tickets=[a, b], actor=triage_lead, tier=Tier.T2)
    assert [o.ok for o in outcomes] == [True, False]
    assert "Already triaged" in outcomes[1].message
    assert Ticket.objects.get(pk=a.pk).tier == Tier.T2 and Ticket.objects.get(pk=b.pk).tier == Tier.T3


def test_bulk_priority_records_review(open_ticket, triage_lead):
    a, b = open_ticket("A"), open_ticket("B", priority="high")
    outcomes = services.bulk_set_priority(tickets=[a, b], actor=triage_lead, priority="high")
    assert all(o.ok for o in outcomes)
    assert Ticket.objects.get(pk=a.pk).priority == "high"
    assert TicketEvent.objects.filter(verb="priority_reviewed").count() == 2


def test_a_reply_after_answer_now_goes_back_to_triage_but_not_after_a_reroute(open_ticket, triage_lead):
    """Answered in triage, the requester writes again: the lead decides again (and the triage SLA counts).
    Rerouted to Engagement: the reply is Engagement's, no triage clock starts again."""
    from sla.models import SlaClock
    from tickets import services as core

    answered, rerouted = open_ticket("How do I export?"), open_ticket("Close my account")
    services.triage_answer(ticket=answered, actor=triage_lead, body="Like this: Settings → Export.")
    services.triage_reroute(
        ticket=rerouted, actor=triage_lead, team=Team.objects.get(slug="engagement"), reason="Account closure"
    )
    core.add_requester_reply(Ticket.objects.get(pk=answered.pk), answered.requester, "And for last year?")
    core.add_requester_reply(Ticket.objects.get(pk=rerouted.pk), rerouted.requester, "Any news?")
    answered.refresh_from_db(), rerouted.refresh_from_db()
    assert (
        answered.status == "open" and answered.triage_decision == "" and _events(answered, "back_to_triage")
    )
    assert answered in selectors.queue_base()
    assert SlaClock.objects.filter(ticket=answered, tier="triage", stopped_at__isnull=True).exists()
    assert rerouted.triage_decision == "rerouted" and rerouted not in selectors.queue_base()
    assert not SlaClock.objects.filter(ticket=rerouted, stopped_at__isnull=True).exists()

"""Macros: preview = result, the actions through the normal services, an invalid macro changes nothing."""

import pytest

from macros import services
from macros.models import ASSIGN_ME, Macro
from tests.factories import TeamFactory
from tickets import services as ticket_services
from tickets.errors import TicketError
from tickets.models import Message, Team, Tier, Visibility

pytestmark = pytest.mark.django_db


def _approved(ticket, lead):
    return ticket_services.update_ticket(ticket, lead, tier=Tier.T1)


def _state(ticket):
    ticket.refresh_from_db()
    return {
        "status": ticket.status,
        "priority": ticket.priority,
        "tier": ticket.tier,
        "team": ticket.team_id,
        "assignee": ticket.assignee_id,
        "tags": sorted(ticket.tags.values_list("name", flat=True)),
        "messages": list(ticket.messages.values_list("visibility", "body").order_by("id")),
        "version": ticket.version,
    }


def test_preview_equals_result_and_previewing_changes_nothing(ticket, triage_lead, agent):
    ticket = _approved(ticket, triage_lead)
    agent.first_name = "Alex"
    agent.save()
    macro = Macro.objects.create(
        title="Full",
        body="Hi {{ requester.first_name }}, done. {{ agent.first_name }}",
        note="Checked the logs.",
        status="pending",
        priority="high",
        tier="t2",
        assignee_username=ASSIGN_ME,
        add_tags="billing, vip",
    )
    before = _state(ticket)
    preview = services.preview_macro(ticket, agent, macro)
    assert _state(ticket) == before  # the dry run rolled back everything
    result = services.apply_macro(ticket, agent, macro, expected_version=before["version"])
    assert preview == result
    changed = {c.what: c.after for c in result.changes}
    assert changed == {
        "Status": "Pending",
        "Priority": "High",
        "Tier": "T2",
        "Owner": agent.get_full_name(),
        "Tags": "billing, vip",
    }
    first = ticket.requester.name.split(" ")[0]
    assert ("Public reply", f"Hi {first}, done. Alex") in result.messages
    assert ("Internal note", "Checked the logs.") in result.messages
    after = _state(ticket)
    assert after["status"] == "pending" and after["assignee"] == agent.pk and after["tier"] == "t2"


def test_free_trial_default_replies_and_sends_to_engagement(ticket, triage_lead, agent):
    ticket = _approved(ticket, triage_lead)
    ticket_services.update_ticket(ticket, triage_lead, assignee=agent)
    macro = Macro.objects.get(title="New client: free trial + Engagement")  # shipped by the migration
    preview = services.preview_macro(ticket, agent, macro)
    result = services.apply_macro(ticket, agent, macro)
    assert preview == result
    ticket.refresh_from_db()
    assert ticket.team.slug == "engagement" and ticket.assignee is None
    public = ticket.messages.filter(visibility=Visibility.PUBLIC).last()
    assert "free trial" in public.body
    assert ticket.events.filter(verb="sent_to_engagement").exists()
    assert ticket.events.filter(verb="macro_applied").count() == 1


def test_macro_naming_a_deleted_team_is_refused_and_changes_nothing(ticket, triage_lead, agent):
    ticket = _approved(ticket, triage_lead)
    team = TeamFactory(name="Billing", slug="billing")
    macro = Macro.objects.create(title="To billing", body="Passing you to billing.", team_slug="billing")
    team.delete()
    before = _state(ticket)
    with pytest.raises(services.MacroInvalid, match="no longer exists"):
        services.preview_macro(ticket, agent, macro)
    with pytest.raises(services.MacroInvalid, match="Nothing was changed"):
        services.apply_macro(ticket, agent, macro)
    assert _state(ticket) == before


def test_a_failing_late_step_undoes_the_earlier_ones(ticket, triage_lead, agent):
    """The reply comes last; a status the ticket cannot move to undoes the note, tags and priority."""
    ticket = _approved(ticket, triage_lead)
    ticket_services.change_status(ticket, "resolved", by=agent)
    macro = Macro.objects.create(
        title="Bad", body="x", note="n", add_tags="a", priority="low", status="pending"
    )
    before = _state(ticket)
    with pytest.raises(TicketError):
        services.apply_macro(ticket, agent, macro)
    assert _state(ticket) == before


def test_stale_version_is_refused(ticket, triage_lead, agent):
    ticket = _approved(ticket, triage_lead)
    macro = Macro.objects.create(title="Prio", priority="urgent")
    from tickets.errors import StaleTicket

    with pytest.raises(StaleTicket):
        services.apply_macro(ticket, agent, macro, expected_version=ticket.version - 1)
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_routing_to_a_team(ticket, triage_lead, agent):
    ticket = _approved(ticket, triage_lead)
    macro = Macro.objects.create(title="Marketing", team_slug="marketing", note="For Paul.")
    result = services.apply_macro(ticket, agent, macro)
    ticket.refresh_from_db()
    assert ticket.team == Team.objects.get(slug="marketing")
    assert {c.what for c in result.changes} == {"Team"}


def test_a_tier_macro_does_not_bypass_triage(ticket, agent):
    macro = Macro.objects.create(title="To T2", tier="t2", note="n")
    with pytest.raises(TicketError, match="still waiting for triage"):
        services.apply_macro(ticket, agent, macro)
    ticket.refresh_from_db()
    assert ticket.tier == Tier.TRIAGE and ticket.messages.count() == 1

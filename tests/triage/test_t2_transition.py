"""004 "Known to require T2 research – transition comment and escalate T2": approving to T2 tells the
requester, exactly once, and the Playbook screen counts it."""

import pytest

from playbook.selectors import week_figures
from sla.models import SlaClock
from tickets.models import Message, MessageKind, Tier, Visibility
from triage import services

pytestmark = pytest.mark.django_db


def test_approving_to_t2_sends_the_transition_comment(open_ticket, triage_lead):
    ticket = open_ticket()
    ticket = services.triage_approve(ticket=ticket, actor=triage_lead, tier=Tier.T2)
    comments = Message.objects.filter(ticket=ticket, kind=MessageKind.TRANSITION)
    assert comments.count() == 1
    comment = comments.get()
    assert comment.visibility == Visibility.PUBLIC and "specialist team" in comment.body
    assert ticket.tier == Tier.T2
    assert ticket.notifications.filter(reason="reply").count() == 1
    assert SlaClock.objects.filter(ticket=ticket, tier=Tier.T2, stopped_at__isnull=True).exists()
    assert ticket.events.get(verb="triaged").data["transition_comment"] is True
    assert week_figures()["t2_transition"] == 1


def test_a_custom_comment_is_sent_instead(open_ticket, triage_lead):
    ticket = services.triage_approve(
        ticket=open_ticket(), actor=triage_lead, tier=Tier.T2, transition_comment="Our T2 team is on it."
    )
    assert ticket.messages.get(kind=MessageKind.TRANSITION).body == "Our T2 team is on it."


@pytest.mark.parametrize("tier", [Tier.T1, Tier.T3])
def test_other_tiers_send_nothing_to_the_requester(open_ticket, triage_lead, tier):
    ticket = services.triage_approve(ticket=open_ticket(), actor=triage_lead, tier=tier)
    assert not ticket.messages.filter(kind=MessageKind.TRANSITION).exists()
    assert week_figures()["t2_transition"] == 0

"""Escalate up / down services (004 "When escalating upward/down")."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from escalation import selectors
from escalation.errors import KnownIssueMatch
from escalation.services import escalate
from tests.factories import UserFactory
from tickets import services as core
from tickets.errors import InvalidInput, StaleTicket
from tickets.models import Message, MessageKind, Notification, Tier, Visibility


def _at(ticket, tier):
    return core.update_ticket(ticket, None, tier=tier)


def test_escalate_up_writes_numbered_questions_and_moves_tier(agent, ticket):
    _at(ticket, Tier.T1)
    result = escalate.escalate_up(
        ticket,
        agent,
        to_tier=Tier.T3,
        questions=["Why no sync?", "", "Which feed?"],
        findings="Feed returns 500.",
    )
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T3 and ticket.assignee is None and result.assignee is None
    note = ticket.messages.get(kind=MessageKind.ESCALATION)
    assert note.visibility == Visibility.INTERNAL
    assert "**ESCALATED QUESTION 1**\nWhy no sync?" in note.body
    assert "**ESCALATED QUESTION 2**\nWhich feed?" in note.body
    assert "ESCALATED QUESTION 3" not in note.body
    assert "Feed returns 500." in note.body
    event = ticket.events.get(verb="escalated")
    assert event.data["from"] == Tier.T1 and event.data["to"] == Tier.T3
    assert event.data["questions"] == ["Why no sync?", "Which feed?"]
    assert event.actor == agent


def test_render_questions_from_a_list():
    text = escalate.render_questions(["A?", "B?"], "found X")
    assert text.splitlines()[0] == "**ESCALATED QUESTION 1**"
    assert "**ESCALATED QUESTION 2**\nB?" in text and text.endswith("found X")


def test_escalate_without_a_question_changes_nothing(agent, ticket):
    _at(ticket, Tier.T1)
    before = (Message.objects.count(), ticket.events.count())
    with pytest.raises(InvalidInput, match="at least one escalated question") as err:
        escalate.escalate_up(ticket, agent, to_tier=Tier.T2, questions=["  ", ""])
    assert err.value.field == "questions"
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T1 and (Message.objects.count(), ticket.events.count()) == before


def test_cannot_escalate_past_t5_except_to_oncall(agent, ticket):
    _at(ticket, Tier.T5)
    with pytest.raises(InvalidInput, match="T5 is the top tier"):
        escalate.escalate_up(ticket, agent, to_tier=Tier.T4, questions=["q"])
    escalate.escalate_up(
        ticket,
        agent,
        to_tier=Tier.ONCALL,
        questions=["q"],
        confirmed_by=UserFactory(username="lead", role="Triage lead"),
    )
    ticket.refresh_from_db()
    assert ticket.tier == Tier.ONCALL
    with pytest.raises(InvalidInput, match="already with on-call"):
        escalate.escalate_up(ticket, agent, to_tier=Tier.T5, questions=["q"])


def test_escalating_down_through_up_form_is_refused(agent, ticket):
    _at(ticket, Tier.T3)
    with pytest.raises(InvalidInput, match="pick a tier above T3"):
        escalate.escalate_up(ticket, agent, to_tier=Tier.T2, questions=["q"])


def test_transition_comment_when_requester_never_heard_from_us(agent, ticket):
    _at(ticket, Tier.T1)
    result = escalate.escalate_up(ticket, agent, to_tier=Tier.T2, questions=["q"])
    assert result.transition_comment
    comment = ticket.messages.get(kind=MessageKind.TRANSITION)
    assert comment.visibility == Visibility.PUBLIC and "specialist" in comment.body
    mails = Notification.objects.filter(ticket=ticket, recipient_email=ticket.requester.email)
    assert mails.count() == 1 and "ESCALATED" not in mails.get().body  # the internal note never reaches them


def test_no_transition_comment_when_we_replied_within_a_day(agent, ticket):
    _at(ticket, Tier.T1)
    core.add_reply(ticket, agent, "Looking into it.")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23)):
        result = escalate.escalate_up(ticket, agent, to_tier=Tier.T2, questions=["q"])
    assert not result.transition_comment
    assert not ticket.messages.filter(kind=MessageKind.TRANSITION).exists()


def test_transition_comment_after_a_day_of_silence(agent, ticket):
    _at(ticket, Tier.T1)
    core.add_reply(ticket, agent, "Looking into it.")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        result = escalate.escalate_up(
            ticket, agent, to_tier=Tier.T2, questions=["q"], transition_comment="We asked our specialists."
        )
    assert result.transition_comment
    assert ticket.messages.get(kind=MessageKind.TRANSITION).body == "We asked our specialists."


def test_assigns_back_to_engineer_of_that_tier_who_answered(agent, engineer, ticket, on_rota):
    on_rota(engineer, Tier.T3)
    _at(ticket, Tier.T3)
    core.add_reply(ticket, engineer, "Fixed the feed; please check.")
    core.update_ticket(ticket, None, tier=Tier.T2)
    result = escalate.escalate_up(ticket, agent, to_tier=Tier.T3, questions=["Still broken?"])
    ticket.refresh_from_db()
    assert result.assignee == engineer and ticket.assignee == engineer
    assert ticket.events.get(verb="escalated").data["assignee"] == engineer.pk


def test_someone_not_on_that_tier_is_not_picked(agent, engineer, ticket, on_rota):
    on_rota(engineer, Tier.T2)  # answered, but as T2
    _at(ticket, Tier.T2)
    core.add_reply(ticket, engineer, "Hello")
    escalate.escalate_up(ticket, agent, to_tier=Tier.T3, questions=["q"])
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_known_issue_is_checked_first(agent, ticket, known_issue):
    _at(ticket, Tier.T2)
    core.add_tag(ticket, agent, known_issue.tag_name)
    with pytest.raises(KnownIssueMatch) as err:
        escalate.escalate_up(ticket, agent, to_tier=Tier.T3, questions=["q"])
    assert err.value.issues == [known_issue]
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T2
    escalate.escalate_up(ticket, agent, to_tier=Tier.T3, questions=["q"], not_a_known_issue=True)
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T3


def test_stale_version_is_refused(agent, ticket):
    _at(ticket, Tier.T1)
    ticket.refresh_from_db()
    old = ticket.version
    core.add_note(ticket, agent, "meanwhile")
    with pytest.raises(StaleTicket):
        escalate.escalate_up(ticket, agent, to_tier=Tier.T2, questions=["q"], expected_version=old)


def test_escalate_down_with_tags_note_and_back_to_escalator(agent, engineer, ticket, known_issue):
    _at(ticket, Tier.T2)
    escalate.escalate_up(ticket, agent, to_tier=Tier.T3, questions=["q"], not_a_known_issue=True)
    escalate.escalate_down(
        ticket,
        engineer,
        to_tier=Tier.T2,
        note="The import doc covers this.",
        doc_url="https://docs.example/import",
        missed_doc_review=True,
        process_tweak=True,
        known_issue=known_issue.number,
    )
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T2 and ticket.assignee == agent
    tags = set(ticket.tags.values_list("name", flat=True))
    assert {"Missed Doc Review", "Process Tweak", known_issue.tag_name} <= tags
    note = ticket.messages.filter(visibility=Visibility.INTERNAL).last()
    assert "De-escalated T3 → T2" in note.body and "https://docs.example/import" in note.body
    assert note.format == "markdown"  # the bold header renders bold, not as "**"
    event = ticket.events.get(verb="de_escalated")
    assert (
        event.data["tags"] == ["Missed Doc Review", "Process Tweak"]
        and event.data["known_issue"] == known_issue.number
    )
    review = list(selectors.review_events(timezone.now() - dt.timedelta(days=7)))
    assert {e.data["tag"] for e in review} == {"Missed Doc Review", "Process Tweak"}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"note": ""}, "internal note"),
        ({"note": "x", "missed_doc_review": True}, "needs the link"),
        ({"note": "x", "known_issue": 999}, "Known issue #999 does not exist"),
        ({"note": "x", "process_tweak": True, "to_tier": Tier.T4}, "tier below T3"),
    ],
)
def test_escalate_down_bad_input_changes_nothing(engineer, ticket, kwargs, message):
    _at(ticket, Tier.T3)
    before = (Message.objects.count(), ticket.tags.count())
    with pytest.raises(InvalidInput, match=message):
        escalate.escalate_down(ticket, engineer, **{"to_tier": Tier.T2, **kwargs})
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T3 and (Message.objects.count(), ticket.tags.count()) == before


def test_time_boxes():
    assert selectors.time_box(Tier.T1).total_minutes == 10
    assert (selectors.time_box(Tier.T2).determine_minutes, selectors.time_box(Tier.T2).craft_minutes) == (
        15,
        15,
    )
    assert selectors.time_box(Tier.T3).determine_minutes == 20
    assert selectors.time_box(Tier.T4) is None


def test_escalation_starts_the_next_tiers_sla_clock(agent, ticket):
    sla_models = pytest.importorskip("sla.models")
    _at(ticket, Tier.T1)
    escalate.escalate_up(ticket, agent, to_tier=Tier.T3, questions=["q"])
    running = sla_models.SlaClock.objects.filter(ticket=ticket, stopped_at__isnull=True)
    assert list(running.values_list("tier", flat=True)) == [Tier.T3]
    assert sla_models.SlaClock.objects.filter(ticket=ticket, tier=Tier.T1, stopped_at__isnull=False).exists()


def test_escalate_down_with_just_the_answer(engineer, ticket):
    """004: "Otherwise (no documented answer), answer ... and leave for the lower tier to review"."""
    _at(ticket, Tier.T3)
    escalate.escalate_down(
        ticket, engineer, to_tier=Tier.T2, note="Re-enter the iCal URL; the feed token expired."
    )
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T2 and not ticket.tags.exists()
    assert "the feed token expired" in ticket.messages.filter(visibility="internal").last().body


def test_untriaged_tickets_cannot_be_escalated_except_to_oncall(agent, ticket):
    assert ticket.tier == Tier.TRIAGE
    with pytest.raises(InvalidInput, match="not been triaged yet"):
        escalate.escalate_up(ticket, agent, to_tier=Tier.T2, questions=["q"])
    ticket.refresh_from_db()
    assert ticket.tier == Tier.TRIAGE and not ticket.messages.filter(kind="escalation").exists()
    escalate.escalate_up(
        ticket,
        agent,
        to_tier=Tier.ONCALL,
        questions=["Site down for every guest?"],
        confirmed_by=UserFactory(username="lead", role="Triage lead"),
    )
    ticket.refresh_from_db()
    assert ticket.tier == Tier.ONCALL


def test_a_look_alike_known_issue_is_offered_before_escalating(agent, ticket, known_issue):
    """004: check the known issues first: "Cannot sync calendar" looks like "Airbnb calendar sync
    delayed"."""
    from escalation.errors import KnownIssueMatch

    _at(ticket, Tier.T1)
    with pytest.raises(KnownIssueMatch):
        escalate.escalate_up(ticket, agent, to_tier=Tier.T2, questions=["q"])
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T1
    assert selectors.matching_known_issues(ticket) == [known_issue]
    escalate.escalate_up(ticket, agent, to_tier=Tier.T2, questions=["q"], not_a_known_issue=True)
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T2


@pytest.mark.parametrize(
    "tier, requester_spoke_last, due",
    [
        (Tier.T1, False, False),
        (Tier.T1, True, True),
        (Tier.T2, False, True),
        (Tier.T3, True, False),
    ],
)
def test_transition_comment_rules_of_004(agent, ticket, tier, requester_spoke_last, due):
    """T2 always; T1 when the client had the last response; anyone after a day without news."""
    now = timezone.now()
    ticket.tier, ticket.last_public_reply_at = tier, now - dt.timedelta(hours=2)
    ticket.last_requester_reply_at = now - dt.timedelta(hours=1) if requester_spoke_last else None
    assert selectors.transition_comment_due(ticket, now) is due
    ticket.last_public_reply_at = now - dt.timedelta(hours=30)
    assert selectors.transition_comment_due(ticket, now)


def test_a_due_transition_comment_can_be_skipped(agent, ticket):
    _at(ticket, Tier.T2)
    escalate.escalate_up(ticket, agent, to_tier=Tier.T3, questions=["q"], skip_transition_comment=True)
    assert not ticket.messages.filter(kind="transition").exists()
    assert ticket.events.get(verb="escalated").data["transition_comment"] is False

"""Known-issue tracker: linking and tags, suggestions, status posts, the exactly-once bulk reply."""

from __future__ import annotations

from unittest import mock

import pytest

from escalation import selectors
from escalation.models import BroadcastDelivery, KnownIssue, KnownIssueBroadcast
from escalation.services import known_issues
from tickets import services as core
from tickets.errors import InvalidInput
from tickets.models import Message, Status, Tier, Visibility

pytestmark = pytest.mark.usefixtures("celery_eager")  # the tasks queued on commit run


def test_numbers_and_tag_format(manager, known_issue):
    second = known_issues.create_known_issue(manager, title="Stripe payouts", short_name="Stripe Payouts!")
    assert second.number == known_issue.number + 1
    assert known_issue.tag_name == f"{known_issue.number}-airbnb-sync"
    assert second.tag_name == f"{second.number}-stripe-payouts"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"title": "", "short_name": "x"}, "title"),
        ({"title": "T", "short_name": "  "}, "short_name"),
        ({"title": "T", "short_name": "x", "external_url": "javascript:alert(1)"}, "external_url"),
    ],
)
def test_create_bad_input(manager, kwargs, field):
    with pytest.raises(InvalidInput) as err:
        known_issues.create_known_issue(manager, **kwargs)
    assert err.value.field == field and not KnownIssue.objects.exists()


def test_linking_tags_the_ticket(agent, ticket, known_issue):
    known_issues.link_ticket(ticket, known_issue.number, agent)
    assert list(ticket.tags.values_list("name", flat=True)) == [known_issue.tag_name]
    assert ticket.events.filter(verb="known_issue_linked").count() == 1
    known_issues.link_ticket(ticket, known_issue, agent)  # twice: no change
    assert ticket.events.filter(verb="known_issue_linked").count() == 1
    known_issues.unlink_ticket(ticket, agent)
    assert not ticket.tags.exists()


def test_linking_unknown_number_or_second_issue(agent, manager, ticket, known_issue):
    with pytest.raises(InvalidInput, match="Known issue #999 does not exist"):
        known_issues.link_ticket(ticket, 999, agent)
    other = known_issues.create_known_issue(manager, title="Other", short_name="other")
    known_issues.link_ticket(ticket, known_issue, agent)
    with pytest.raises(InvalidInput, match="already linked"):
        known_issues.link_ticket(ticket, other, agent)


def test_suggestion_thresholds(agent, known_issue, make_ticket):
    tickets = [make_ticket() for _ in range(6)]
    for t in tickets[:5]:
        known_issues.link_ticket(t, known_issue, agent)
    assert not [s for s in selectors.suggestions() if s.kind == "status_post"]
    known_issues.link_ticket(tickets[5], known_issue, agent)
    posts = [s for s in selectors.suggestions() if s.kind == "status_post"]
    assert len(posts) == 1 and posts[0].known_issue == known_issue and posts[0].count == 6
    known_issues.set_status_post(
        known_issue, None, post=KnownIssue.Post.INVESTIGATING, text="We are looking into it."
    )
    assert not [s for s in selectors.suggestions() if s.kind == "status_post"]


def test_create_tag_suggestion_for_three_look_alike_tickets(agent, make_ticket):
    for n in range(3):
        t = make_ticket(subject=f"Payout missing {n}")
        core.add_tag(t, agent, "payouts")
    for _ in range(2):
        make_ticket(subject="Login loop")
    kinds = [(s.kind, s.tag) for s in selectors.suggestions()]
    assert ("create_tag", "payouts") in kinds
    assert not any("Login loop" in s.text for s in selectors.suggestions())
    make_ticket(subject="Login loop")
    assert any("Login loop" in s.text for s in selectors.suggestions())


def test_status_post_needs_text(manager, known_issue):
    with pytest.raises(InvalidInput, match="needs a public text"):
        known_issues.set_status_post(known_issue, manager, post=KnownIssue.Post.KNOWN_ISSUE, text="  ")
    known_issue.refresh_from_db()
    assert known_issue.status_post == KnownIssue.Post.NONE


def _approved(ticket):
    """Past triage: the bulk reply answers only tickets a triage lead has decided (issue #15 item 14)."""
    return core.update_ticket(ticket, None, tier=Tier.T1)


def _linked(agent, known_issue, make_ticket, n):
    tickets = [_approved(make_ticket()) for _ in range(n)]
    for t in tickets:
        known_issues.link_ticket(t, known_issue, agent)
    return tickets


def _replies(ticket, body):
    return Message.objects.filter(ticket=ticket, visibility=Visibility.PUBLIC, body=body).count()


def test_broadcast_exactly_once_and_resumable(agent, manager, known_issue, make_ticket):
    tickets = _linked(agent, known_issue, make_ticket, 5)
    core.change_status(tickets[4], Status.RESOLVED, by=agent)
    core.change_status(tickets[4], Status.CLOSED, by=agent)
    broadcast = known_issues.resolve_known_issue(
        known_issue, manager, reply="Fixed now.", set_status=Status.PENDING
    )
    assert broadcast.deliveries.count() == 4  # the closed ticket is not part of it
    # interrupted half way: only one chunk of two ran
    first = known_issues.run_broadcast(broadcast.pk, chunk=2, max_chunks=1)
    assert first["sent"] == 2
    assert broadcast.deliveries.filter(state=BroadcastDelivery.State.PENDING).count() == 2
    # a crash on one ticket mid-run rolls back that ticket only
    real = core.add_reply

    def flaky(ticket, *args, **kwargs):
        if ticket.pk == tickets[2].pk:
            raise RuntimeError("worker killed")
        return real(ticket, *args, **kwargs)

    with mock.patch.object(known_issues.core, "add_reply", side_effect=flaky):
        second = known_issues.run_broadcast(broadcast.pk)
    assert second == {"sent": 1, "skipped": 0, "failed": 1}
    assert _replies(tickets[2], "Fixed now.") == 0
    broadcast.refresh_from_db()
    assert broadcast.finished_at is None
    # resumed, then run again: nothing more
    assert known_issues.run_broadcast(broadcast.pk)["sent"] == 1
    assert known_issues.run_broadcast(broadcast.pk) == {"sent": 0, "skipped": 0, "failed": 0}
    broadcast.refresh_from_db()
    assert broadcast.finished_at is not None
    for t in tickets[:4]:
        assert _replies(t, "Fixed now.") == 1
        t.refresh_from_db()
        assert t.status == Status.PENDING
    assert _replies(tickets[4], "Fixed now.") == 0
    known_issue.refresh_from_db()
    assert known_issue.status == KnownIssue.Status.RESOLVED


def test_broadcast_skips_ticket_finished_meanwhile(agent, manager, known_issue, make_ticket):
    tickets = _linked(agent, known_issue, make_ticket, 2)
    broadcast = known_issues.resolve_known_issue(known_issue, manager, reply="Fixed.")
    core.change_status(tickets[0], Status.RESOLVED, by=agent)
    assert known_issues.run_broadcast(broadcast.pk) == {"sent": 1, "skipped": 1, "failed": 0}
    assert _replies(tickets[0], "Fixed.") == 0


def test_only_one_broadcast_per_known_issue(agent, manager, known_issue, make_ticket):
    _linked(agent, known_issue, make_ticket, 1)
    known_issues.resolve_known_issue(known_issue, manager, reply="Fixed.")
    with pytest.raises(InvalidInput, match="already been sent"):
        known_issues.resolve_known_issue(known_issue, manager, reply="Fixed again.")
    assert KnownIssueBroadcast.objects.count() == 1


def test_resolving_moves_the_status_post_to_resolved(manager, known_issue):
    known_issues.set_status_post(
        known_issue, manager, post=KnownIssue.Post.KNOWN_ISSUE, text="Sync is delayed."
    )
    with pytest.raises(InvalidInput, match="still says"):
        known_issues.resolve_known_issue(known_issue, manager)
    known_issues.resolve_known_issue(known_issue, manager, post_text="Sync works again.")
    known_issue.refresh_from_db()
    assert (known_issue.status_post, known_issue.status_post_text) == (
        KnownIssue.Post.RESOLVED,
        "Sync works again.",
    )
    assert list(selectors.status_posts()) == [known_issue]


def test_resolve_queues_the_task_after_commit(
    agent, manager, known_issue, make_ticket, django_capture_on_commit_callbacks
):
    tickets = _linked(agent, known_issue, make_ticket, 3)
    with django_capture_on_commit_callbacks(execute=True):
        known_issues.resolve_known_issue(known_issue, manager, reply="All fixed.")
    assert all(_replies(t, "All fixed.") == 1 for t in tickets)


def test_look_alike_subjects_are_grouped_not_only_identical_ones(make_ticket):
    for subject in ("Payout missing for March", "Missing payout since Monday", "Owner payout missing again"):
        make_ticket(subject=subject)
    make_ticket(subject="Calendar colours look wrong")
    found = [s for s in selectors.suggestions() if s.kind == "create_tag" and not s.tag]
    assert len(found) == 1 and found[0].count == 3 and "look alike" in found[0].text


def test_tickets_tagged_by_hand_get_the_resolution_reply_too(agent, manager, known_issue, make_ticket):
    linked = _linked(agent, known_issue, make_ticket, 1)[0]
    by_hand = _approved(make_ticket())
    core.add_tag(by_hand, agent, known_issue.tag_name)  # tagged in the workspace, never linked
    broadcast = known_issues.resolve_known_issue(known_issue, manager, reply="Fixed now.")
    assert set(broadcast.deliveries.values_list("ticket_id", flat=True)) == {linked.pk, by_hand.pk}
    known_issues.run_broadcast(broadcast.pk)
    assert _replies(by_hand, "Fixed now.") == 1
    assert by_hand.events.filter(verb="known_issue_linked", data__by_tag=True).exists()


def test_the_bulk_reply_skips_tickets_still_in_triage_and_says_so(agent, manager, known_issue, make_ticket):
    """Issue #15 item 14: triage first — the resolution reply does not answer (or move to Pending) a
    ticket nobody has triaged yet; it is reported as skipped."""
    decided = _linked(agent, known_issue, make_ticket, 1)[0]
    waiting = make_ticket()
    known_issues.link_ticket(waiting, known_issue, agent)
    broadcast = known_issues.resolve_known_issue(
        known_issue, manager, reply="Fixed now.", set_status=Status.PENDING
    )
    assert known_issues.run_broadcast(broadcast.pk) == {"sent": 1, "skipped": 1, "failed": 0}
    assert _replies(decided, "Fixed now.") == 1 and _replies(waiting, "Fixed now.") == 0
    waiting.refresh_from_db()
    assert waiting.status == Status.OPEN
    skipped = broadcast.deliveries.get(ticket=waiting)
    assert skipped.state == BroadcastDelivery.State.SKIPPED and skipped.note == "still in triage"

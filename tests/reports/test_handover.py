"""Handover report selectors and week parsing (004 "Changing of the Guard")."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from escalation.models import KnownIssue
from reports import handover
from reports.filters import Week, last_week, parse_filters, parse_week
from tests.factories import TicketFactory, UserFactory
from tickets.models import Message, Ticket, TicketEvent, Visibility

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)  # Wednesday of W48; last week = W47 (16–22 Nov)
W47 = Week(2026, 47)
IN_WEEK = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2026, 11, 13, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def make_ticket(*, created_at: dt.datetime = BEFORE, **fields) -> Ticket:
    ticket = TicketFactory(**fields)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created_at)
    return ticket


def event(ticket: Ticket, verb: str, at: dt.datetime, **data) -> None:
    ev = TicketEvent.objects.create(ticket=ticket, verb=verb, data=data)
    TicketEvent.objects.filter(pk=ev.pk).update(at=at)


# --- week parsing -------------------------------------------------------------------------------------


def test_week_bounds_are_monday_to_monday():
    assert (W47.start, W47.end) == (
        dt.datetime(2026, 11, 16, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
    )
    assert W47.shifted(-1).label == "2026-W46" and W47.shifted(7).label == "2027-W01"


@pytest.mark.parametrize("raw", ["2026-W47", "2026W47", "2026-w47", " 2026-W47 "])
def test_it_parses_iso_weeks(raw):
    assert parse_week(raw, dt.date(2026, 11, 25)) == W47


def test_it_defaults_to_last_week():
    week = parse_week("", dt.date(2026, 11, 25))
    assert week == last_week(dt.date(2026, 11, 25)) == W47 and week.errors == []


@pytest.mark.parametrize(
    "raw, words",
    [
        ("garbage", "not a week"),
        ("2026-W54", "does not exist"),
        ("2025-W53", "does not exist"),
        ("2027-W01", "outside"),
        ("1999-W10", "outside"),
        ("'; DROP TABLE x;--", "not a week"),
        ("9" * 5000, "not a week"),
    ],
)
def test_bad_weeks_fall_back_to_last_week_with_a_message(raw, words):
    week = parse_week(raw, dt.date(2026, 11, 25))
    assert week == W47 and len(week.errors) == 1 and words in week.errors[0]


def test_2026_has_53_weeks():
    assert parse_week("2026-W53", dt.date(2027, 2, 1)) == Week(2026, 53)


@pytest.mark.parametrize(
    "params, words",
    [
        ({"from": "2026-11-20", "to": "2026-11-01"}, "inverted"),
        ({"tier": "t9"}, "Unknown tier"),
        ({"priority": "asap"}, "Unknown priority"),
        ({"organization": "abc"}, "Unknown organization"),
        ({"from": "yesterday"}, "not a date"),
        ({"from": "2020-01-01", "to": "2026-11-01"}, "longer than"),
    ],
)
def test_bad_dashboard_filters_give_the_default_view_and_a_message(params, words):
    today = dt.date(2026, 11, 25)
    filters, errors = parse_filters(params, today)
    default, none = parse_filters({}, today)
    assert filters == default and none == [] and any(words in e for e in errors)


# --- the report -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_counts_escalations_of_the_week_per_tier(frozen):
    ticket = make_ticket()
    for to in ("t3", "t3", "t4"):
        event(ticket, "escalated", IN_WEEK, **{"from": "t2", "to": to})
    event(ticket, "de_escalated", IN_WEEK, **{"from": "t3", "to": "t2"})
    event(ticket, "escalated", AFTER, **{"from": "t2", "to": "t3"})  # next week
    event(ticket, "tier_changed", IN_WEEK, old="triage", new="t1")
    event(ticket, "tier_changed", IN_WEEK, old="t2", new="t3")
    event(ticket, "tier_changed", IN_WEEK, old="t4", new="t2")

    report = handover.handover(W47)

    counts = {c.tier: (c.up, c.down) for c in report.escalation_counts}
    assert counts == {"t2": (0, 1), "t3": (2, 0), "t4": (1, 0)}
    assert report.totals["up"] == 3 and report.totals["down"] == 1
    assert len(report.escalations) == 4
    moves = {(m["from"], m["to"]): m["direction"] for m in report.tier_moves}
    assert moves == {("Triage", "T1"): "triaged", ("T2", "T3"): "up", ("T4", "T2"): "down"}


@pytest.mark.django_db
def test_it_lists_tickets_still_open_across_the_shift_change(frozen):
    owner = UserFactory(username="owner", role="Agent")
    open_t2 = make_ticket(tier="t2", status="open", assignee=owner)
    waiting_t3 = make_ticket(tier="t3", status="waiting")
    late = make_ticket(tier="t2", status="resolved", resolved_at=AFTER)  # resolved after the week ended
    make_ticket(tier="t2", status="resolved", resolved_at=IN_WEEK)  # finished in the week
    make_ticket(tier="t2", status="closed", resolved_at=BEFORE, closed_at=BEFORE)
    make_ticket(tier="t2", status="open", created_at=AFTER)  # opened after the shift change

    report = handover.handover(W47)

    assert {c["tier"]: c["count"] for c in report.open_counts} == {"t2": 2, "t3": 1}
    assert {t.pk for t in report.still_open} == {open_t2.pk, waiting_t3.pk, late.pk}
    assert [t.tier for t in report.still_open] == ["t2", "t2", "t3"]  # by tier
    assert report.totals["open"] == 3


@pytest.mark.django_db
def test_still_open_tickets_show_their_state_at_the_shift_change(frozen, django_assert_max_num_queries):
    night, day = UserFactory(username="night", role="Agent"), UserFactory(username="day", role="Agent")
    moved = make_ticket(tier="t3", status="open", assignee=day)  # today: T3, open, day shift owns it
    event(moved, "status_changed", IN_WEEK, old="open", new="pending")  # in the week: → Pending
    event(moved, "status_changed", AFTER, old="pending", new="open")  # after: back to Open
    event(moved, "tier_changed", AFTER, old="t1", new="t3")  # after: escalated T1 → T3
    event(moved, "assignee_changed", AFTER, old=night.pk, new=day.pk)  # after: handed to the day shift
    event(moved, "tier_changed", AFTER + dt.timedelta(hours=1), old="t3", new="t3")  # only the first counts
    untouched = make_ticket(tier="t2", status="waiting", assignee=night)

    with django_assert_max_num_queries(3):
        rows = handover.still_open(W47)

    as_of = {t.pk: (t.status, t.tier, t.assignee.username if t.assignee else None) for t in rows}
    assert as_of == {moved.pk: ("pending", "t1", "night"), untouched.pk: ("waiting", "t2", "night")}
    assert [t.pk for t in rows] == [moved.pk, untouched.pk]  # sorted by the tier they were in


@pytest.mark.django_db
def test_it_collects_review_tags_missed_commitments_and_hotfix_notes(frozen):
    ticket = make_ticket(status="open")  # missed in the week, answered since: still reported
    event(ticket, "commitment_missed", IN_WEEK, due_at=(IN_WEEK - dt.timedelta(hours=1)).isoformat())
    later = make_ticket(status="open", commitment_missed=True, commitment_due_at=AFTER)
    event(later, "commitment_missed", AFTER, due_at=AFTER.isoformat())  # missed after the week
    event(ticket, "tag_added", IN_WEEK, tag="Missed Doc Review")
    event(ticket, "tag_added", AFTER, tag="Process Tweak")
    note = Message.objects.create(
        ticket=ticket, visibility=Visibility.INTERNAL, body="Deployed HOTFIX 12 for this"
    )
    Message.objects.create(ticket=ticket, visibility=Visibility.PUBLIC, body="We shipped a hotfix")  # public
    Message.objects.filter(pk__in=[note.pk, note.pk + 1]).update(created_at=IN_WEEK)

    report = handover.handover(W47)

    assert [e.data["tag"] for e in report.review] == ["Missed Doc Review"]
    assert [t.pk for t in report.missed] == [ticket.pk]
    assert report.missed[0].commitment_due_at == IN_WEEK - dt.timedelta(hours=1)
    assert [m.pk for m in report.notes] == [note.pk]


@pytest.mark.django_db
def test_it_reports_known_issue_changes(frozen):
    opened = KnownIssue.objects.create(number=901, title="Payments down", short_name="payments")
    resolved = KnownIssue.objects.create(
        number=902, title="Sync slow", short_name="sync", resolved_at=IN_WEEK
    )
    old = KnownIssue.objects.create(number=903, title="Old", short_name="old")
    KnownIssue.objects.filter(pk=opened.pk).update(created_at=IN_WEEK, updated_at=IN_WEEK)
    KnownIssue.objects.filter(pk=resolved.pk).update(created_at=BEFORE, updated_at=IN_WEEK)
    KnownIssue.objects.filter(pk=old.pk).update(created_at=BEFORE, updated_at=BEFORE)

    changes = handover.known_issue_changes(W47)

    assert {c["issue"].number: c["change"] for c in changes} == {901: "opened", 902: "resolved"}

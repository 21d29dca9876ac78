"""Dashboard selectors against hand-built rows; expected numbers are computed by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from escalation.models import KnownIssue, KnownIssueLink
from reports import patterns, percentiles, selectors
from reports.filters import DashboardFilters, default_filters
from sla.models import SlaClock
from tests.factories import TicketFactory, UserFactory
from tickets.models import Tag, Ticket, TicketEvent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)  # Wednesday of ISO week 2026-W47


@pytest.fixture(autouse=True)
def frozen():
    from django.core.cache import cache

    cache.clear()  # the compliance trend caches closed weeks
    with time_machine.travel(NOW, tick=False):
        yield


def make_ticket(*, created_at: dt.datetime | None = None, **fields) -> Ticket:
    """A raw ticket row; created_at is auto_now_add, so it is set with an UPDATE afterwards."""
    ticket = TicketFactory(**fields)
    if created_at is not None:
        Ticket.objects.filter(pk=ticket.pk).update(created_at=created_at)
        ticket.created_at = created_at
    return ticket


def event(ticket: Ticket, verb: str, at: dt.datetime, actor=None, **data) -> TicketEvent:
    ev = TicketEvent.objects.create(ticket=ticket, verb=verb, actor=actor, data=data)
    TicketEvent.objects.filter(pk=ev.pk).update(at=at)
    return ev


def filters(**kw) -> DashboardFilters:
    base = default_filters(timezone.localdate(NOW))
    return DashboardFilters(**{"date_from": base.date_from, "date_to": base.date_to, **kw})


def test_it_counts_bands_per_tier_among_unfinished_tickets():
    for _ in range(2):
        make_ticket(tier="t2", status="open", sla_band="green")
    make_ticket(tier="t2", status="review", sla_band="yellow")
    for priority in ("urgent", "normal", "normal"):
        make_ticket(tier="t2", status="open", sla_band="red", priority=priority)
    make_ticket(tier="t2", status="pending", sla_band="paused")
    make_ticket(tier="t2", status="waiting", sla_band="red")  # paused status wins over a stale band
    make_ticket(tier="t2", status="closed", sla_band="red")  # finished: not counted
    make_ticket(tier="t3", status="open", sla_band="red")
    make_ticket(tier="triage", status="open", sla_band="")

    rows = {r.tier: r for r in selectors.open_by_tier(filters(), NOW)}

    t2 = rows["t2"]
    assert (t2.green, t2.yellow, t2.red, t2.paused, t2.unbanded, t2.total) == (2, 1, 3, 2, 0, 8)
    assert (rows["t3"].red, rows["t3"].total) == (1, 1)
    assert (rows["triage"].unbanded, rows["triage"].total) == (1, 1)
    assert rows["t5"].total == 0
    urgent = {r.tier: r for r in selectors.open_by_tier(filters(priority="urgent"), NOW)}
    assert (urgent["t2"].red, urgent["t2"].total) == (1, 1)
    only_t3 = selectors.open_by_tier(filters(tier="t3"), NOW)
    assert [r.tier for r in only_t3] == ["t3"]


def test_it_buckets_the_backlog_by_age_and_counts_broken_commitments():
    for hours in (2, 30, 48 + 23, 24 * 5, 24 * 10, 24 * 40):
        make_ticket(tier="t1", status="open", created_at=NOW - dt.timedelta(hours=hours))
    make_ticket(tier="t1", status="resolved", created_at=NOW - dt.timedelta(days=20))
    make_ticket(tier="t1", status="open", commitment_missed=True, created_at=NOW - dt.timedelta(hours=1))

    t1 = {r.tier: r for r in selectors.open_by_tier(filters(), NOW)}["t1"]

    # <1d: 2h, 1h(commitment) · 1–3d: 30h, 71h · 3–7d: 5d · >7d: 10d, 40d
    assert t1.ages == {"lt1d": 2, "d1_3": 2, "d3_7": 1, "gt7d": 2}
    assert t1.missed == 1


def clock(ticket: Ticket, tier: str, stopped_at: dt.datetime | None, band: str) -> SlaClock:
    start = (stopped_at or NOW) - dt.timedelta(hours=3)
    return SlaClock.objects.create(
        ticket=ticket,
        tier=tier,
        started_at=start,
        stopped_at=stopped_at,
        final_band=band,
        business_seconds=3 * 3600,
    )


def test_it_computes_weekly_compliance_per_tier():
    ticket = make_ticket(tier="t2", status="open")
    w47, w46 = dt.datetime(2026, 11, 17, 10, tzinfo=dt.UTC), dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)
    for _ in range(3):
        clock(ticket, "t2", w47, "green")
    clock(ticket, "t2", w47, "red")
    clock(ticket, "t1", w47, "yellow")
    clock(ticket, "t2", w46, "green")
    clock(ticket, "t2", w47, "paused")  # not a final SLA outcome: excluded
    clock(ticket, "t2", None, "")  # still running: excluded
    clock(ticket, "t2", dt.datetime(2026, 8, 1, tzinfo=dt.UTC), "red")  # before the range

    weeks = selectors.compliance_trend(filters())

    assert (
        len(weeks) == 8 and weeks[-1].week == dt.date(2026, 11, 16) and weeks[0].week == dt.date(2026, 9, 28)
    )
    last, previous = weeks[-1], weeks[-2]
    assert (last.green, last.yellow, last.red) == (3, 1, 1)
    assert last.share("green") == 60.0  # 3 of 5
    assert last.tier_green_share("t2") == 75.0  # 3 of 4
    assert last.tier_green_share("t1") == 0.0
    assert last.tier_green_share("t4") is None
    assert (previous.green, previous.total) == (1, 1)
    assert weeks[0].total == 0 and weeks[0].share("green") is None


def test_closed_weeks_are_cached_and_the_current_week_is_live(django_assert_num_queries):
    ticket = make_ticket(tier="t2", status="open")
    clock(ticket, "t2", dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), "green")
    with django_assert_num_queries(2):  # closed weeks (miss) + current week
        selectors.compliance_trend(filters(), NOW)
    clock(ticket, "t2", NOW - dt.timedelta(hours=1), "red")
    with django_assert_num_queries(1):  # closed weeks from the cache
        weeks = selectors.compliance_trend(filters(), NOW)
    assert (weeks[-2].green, weeks[-1].red) == (1, 1)


def test_it_lists_breaches_of_this_week_only():
    ticket = make_ticket(tier="t3", status="open")
    clock(ticket, "t3", NOW - dt.timedelta(hours=5), "red")  # Wednesday: this week
    clock(ticket, "t3", dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC), "red")  # last Sunday
    clock(ticket, "t3", NOW - dt.timedelta(hours=1), "green")

    breaches = selectors.breaches_this_week(filters(), NOW)

    assert len(breaches) == 1 and breaches[0].business_hours == 3.0


def test_breaches_include_tickets_red_right_now(django_assert_num_queries):
    unanswered = make_ticket(
        tier="t2", status="open", sla_band="red", sla_yellow_until=NOW - dt.timedelta(hours=2)
    )
    make_ticket(
        tier="t2", status="open", sla_band="red", sla_yellow_until=NOW - dt.timedelta(days=10)
    )  # last month
    make_ticket(tier="t2", status="resolved", sla_band="red", sla_yellow_until=NOW - dt.timedelta(hours=2))
    with django_assert_num_queries(2):
        breaches = selectors.breaches_this_week(filters(), NOW)
    assert [(b.ticket.pk, b.stopped_at, b.business_hours) for b in breaches] == [(unanswered.pk, None, None)]


def test_it_computes_response_percentiles_per_priority():
    created = NOW - dt.timedelta(days=2)
    for minutes, resolve_hours in ((10, 1), (20, 3), (30, None), (40, None)):
        make_ticket(
            priority="normal",
            created_at=created,
            first_response_at=created + dt.timedelta(minutes=minutes),
            resolved_at=created + dt.timedelta(hours=resolve_hours) if resolve_hours else None,
        )
    make_ticket(priority="urgent", created_at=created)  # no response yet
    make_ticket(
        priority="normal",
        created_at=NOW - dt.timedelta(days=200),  # outside the range
        first_response_at=NOW,
    )

    rows, approximate = percentiles.response_times(filters())

    by = {r.priority: r for r in rows}
    normal = by["normal"]
    assert (normal.responded, normal.resolved) == (4, 2)
    # p50 of 10,20,30,40 min = 25 min; p90: rank 0.9*3 = 2.7 → 30 + 0.7*10 = 37 min
    assert normal.first_response["p50"] == pytest.approx(25 * 60)
    assert normal.first_response["p90"] == pytest.approx(37 * 60)
    # resolution 1h, 3h → p50 2h, p90 1 + 0.9*2 = 2.8h
    assert normal.resolution["p50"] == pytest.approx(2 * 3600)
    assert normal.resolution["p90"] == pytest.approx(2.8 * 3600)
    assert normal.cells == ["25m", "37m", "2h 00m", "2h 48m"]
    assert by["urgent"].responded == 0 and by["urgent"].first_response["p50"] is None
    assert by["low"].cells == ["—"] * 4
    from django.db import connection

    assert approximate is (connection.vendor != "postgresql")


def test_percentile_interpolates_like_postgres():
    assert percentiles.percentile([], 0.5) is None
    assert percentiles.percentile([7.0], 0.9) == 7.0
    assert percentiles.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0


def test_it_shows_agent_load_against_the_wip_limit(settings):
    settings.HELPDESK_WIP_LIMIT = 3
    busy = UserFactory(username="busy", role="Agent")
    calm = UserFactory(username="calm", role="Agent")
    UserFactory(username="idle", role="Manager")
    UserFactory(username="requester-like")  # no staff role: not on the board
    oldest = make_ticket(assignee=busy, status="open")
    Ticket.objects.filter(pk=oldest.pk).update(updated_at=NOW - dt.timedelta(days=3))
    for status in ("open", "pending", "review"):
        make_ticket(assignee=busy, status=status)
    make_ticket(assignee=busy, status="closed")
    make_ticket(assignee=calm, status="hold")

    rows = {r["username"]: r for r in selectors.agent_load(filters())}

    assert set(rows) == {"busy", "calm", "idle"}
    assert (rows["busy"]["owned"], rows["busy"]["over"]) == (4, True)
    assert rows["busy"]["oldest_number"] == oldest.number
    assert (rows["calm"]["owned"], rows["calm"]["over"]) == (1, False)
    assert rows["idle"]["owned"] == 0 and rows["idle"]["oldest_number"] is None
    assert list(rows)[0] == "busy"  # most loaded first


def test_agent_load_counts_unread_nudges():
    from tickets.models import Notification

    busy = UserFactory(username="nudged", role="Agent")
    ticket = make_ticket(assignee=busy, status="open")
    for i, (reason, read) in enumerate(
        [("stale_nudge", None), ("holding_reply_offered", None), ("stale_nudge", NOW), ("assigned", None)]
    ):
        Notification.objects.create(
            ticket=ticket,
            recipient_user=busy,
            channel="in_app",
            reason=reason,
            subject="s",
            body="b",
            dedupe_key=f"k{i}",
            read_at=read,
        )

    rows = {r["username"]: r for r in selectors.agent_load(filters())}

    assert rows["nudged"]["nudges"] == 2  # unread nudges only


def test_it_lists_broken_commitments_of_unfinished_tickets():
    due = NOW - dt.timedelta(hours=2)
    missed = make_ticket(status="open", commitment_missed=True, commitment_due_at=due)
    make_ticket(status="closed", commitment_missed=True, commitment_due_at=due)
    make_ticket(status="open", commitment_due_at=NOW + dt.timedelta(hours=2))

    assert [t.pk for t in selectors.broken_commitments(filters())] == [missed.pk]


def test_it_lists_review_tags_of_the_last_week():
    ticket = make_ticket(status="open")
    recent = event(ticket, "tag_added", NOW - dt.timedelta(days=2), tag="Process Tweak")
    event(ticket, "tag_added", NOW - dt.timedelta(days=10), tag="Missed Doc Review")
    event(ticket, "tag_added", NOW - dt.timedelta(days=1), tag="billing")

    assert [e.pk for e in selectors.review_tagged(NOW - dt.timedelta(days=7))] == [recent.pk]


def test_it_finds_patterns_of_three_and_six_tickets():
    for _ in range(3):
        event(make_ticket(), "tag_added", NOW - dt.timedelta(days=1), tag="98-sync-down")
    for _ in range(2):
        event(make_ticket(), "tag_added", NOW - dt.timedelta(days=1), tag="rare")
    for _ in range(3):  # review tags are a different panel
        event(make_ticket(), "tag_added", NOW - dt.timedelta(days=1), tag="Process Tweak")
    for _ in range(6):
        make_ticket(subject="  Calendar broken ", kind="question", created_at=NOW - dt.timedelta(days=1))
    for _ in range(4):
        make_ticket(subject="Old thing", kind="incident", created_at=NOW - dt.timedelta(days=9))
    Tag.objects.get_or_create(name="98-sync-down")

    found = {(p.source, p.name): p for p in patterns.patterns(filters(), NOW)}

    assert set(found) == {("tag", "98-sync-down"), ("subject", "calendar broken")}
    assert found[("tag", "98-sync-down")].suggestion == "Link to a known issue"
    assert found[("subject", "calendar broken")].status_page
    assert found[("subject", "calendar broken")].suggestion == "Consider a status page post"


def test_patterns_link_known_issues_when_the_escalation_app_has_them():
    issue = KnownIssue.objects.create(number=4242, title="Sync down", short_name="sync-down")
    for _ in range(3):
        event(make_ticket(), "tag_added", NOW - dt.timedelta(days=1), tag="4242-sync-down")

    found = [p for p in patterns.patterns(filters(), NOW) if p.source == "tag"]

    assert found[0].known_issue == issue and found[0].suggestion == "Linked to a known issue"


def test_patterns_count_tickets_linked_to_a_known_issue_this_week():
    issue = KnownIssue.objects.create(number=4343, title="Payments down", short_name="payments")
    for _ in range(3):
        ticket = make_ticket()
        KnownIssueLink.objects.create(ticket=ticket, known_issue=issue)
        event(ticket, "tag_added", NOW - dt.timedelta(days=1), tag="4343-payments")

    found = patterns.patterns(filters(), NOW)

    # one row for the issue (the tag row of the same issue is folded into it)
    assert [(p.source, p.name, p.tickets) for p in found] == [("known issue", "4343 Payments down", 3)]
    assert found[0].suggestion == "Keep the known issue updated"


def test_warming_job_refreshes_the_default_view_caches(django_assert_num_queries):
    from reports.tasks import warm_dashboard

    ticket = make_ticket(tier="t2", status="open", priority="high")
    clock(ticket, "t2", dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), "green")
    assert warm_dashboard() == {"weeks": 8, "priorities": 4}
    with django_assert_num_queries(0):  # a manager's first view finds the percentiles computed
        percentiles.response_times(default_filters())
    with django_assert_num_queries(1):  # and the closed weeks of the trend: only the current week is read
        selectors.compliance_trend(default_filters(), NOW)
    clock(ticket, "t2", dt.datetime(2026, 11, 11, 10, tzinfo=dt.UTC), "red")  # a late-arriving closed clock
    warm_dashboard()  # run again: same shape, fresh numbers
    weeks = selectors.compliance_trend(default_filters(), NOW)
    assert weeks[-2].red == 1


def test_commitments_kept_vs_missed_in_the_range_from_the_audit_events(django_assert_num_queries):
    a, b, c = (make_ticket(tier="t2", status="open") for _ in range(3))
    in_range, before = NOW - dt.timedelta(days=2), NOW - dt.timedelta(weeks=20)
    event(a, "commitment_settled", in_range, on_time=True)  # kept
    event(b, "commitment_missed", in_range)  # missed, then answered late: still missed
    event(b, "commitment_settled", in_range + dt.timedelta(hours=2), on_time=False)
    event(c, "commitment_settled", before, on_time=True)  # outside the range
    make_ticket(tier="t3", status="open")
    with django_assert_num_queries(1):
        record = selectors.commitment_record(filters())
    assert (record["kept"], record["missed"], record["total"], record["kept_share"]) == (1, 1, 2, 50)
    assert selectors.commitment_record(filters(tier="t3"))["total"] == 0

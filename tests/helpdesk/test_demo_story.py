"""The seeded demo tells a true story (issue #17 item 7): a healthy team — most running SLA clocks green,
a few yellow, at most three red and each with a reason — agents at or under the WIP limit but one, a
handful of tickets in triage, an on-call page waiting, a known issue on the status page, promises due
today and a week of finished work. Seeds the whole demo once (with a shorter history)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from escalation.models import KnownIssue, OnCallPage
from mail.models import InboundEmail
from reports import handover
from reports.filters import last_week
from sla.models import SlaClock
from tickets import demo
from tickets.demo_story import RED_REASONS
from tickets.models import (
    UNFINISHED_STATUSES,
    MessageKind,
    SlaBand,
    Ticket,
    Tier,
    Visibility,
)

pytestmark = pytest.mark.demo
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_seeded_demo_is_a_healthy_team_with_three_explained_reds():
    call_command("seed_demo", tickets=40, stdout=StringIO())
    unfinished = Ticket.objects.filter(status__in=UNFINISHED_STATUSES)
    bands = Counter(unfinished.values_list("sla_band", flat=True))
    running = bands[SlaBand.GREEN] + bands[SlaBand.YELLOW] + bands[SlaBand.RED]
    assert running >= 15
    assert bands[SlaBand.GREEN] / running >= 0.7, bands
    assert 1 <= bands[SlaBand.YELLOW] <= 5, bands
    assert 2 <= bands[SlaBand.RED] <= 3, bands
    for ticket in unfinished.filter(sla_band=SlaBand.RED):
        notes = ticket.messages.filter(visibility=Visibility.INTERNAL, kind=MessageKind.NOTE)
        assert any(n.body in RED_REASONS for n in notes), f"#{ticket.number} is red without a reason"

    owned = Counter(unfinished.exclude(assignee=None).values_list("assignee__username", flat=True))
    limit = 3
    assert [u for u, n in owned.items() if n > limit] == ["agent2"], owned
    assert all(owned[u] <= limit + 1 for u in owned)

    assert 3 <= unfinished.filter(tier=Tier.TRIAGE, triage_decision="").count() <= 10
    page = OnCallPage.objects.get()
    assert page.acknowledged_at is None and page.next_step_at > timezone.now()
    airbnb = KnownIssue.objects.get(short_name="airbnb-sync")
    assert airbnb.links.count() >= 3 and airbnb.status_post != KnownIssue.Post.NONE

    today = timezone.localdate()
    promises = unfinished.filter(commitment_due_at__gt=timezone.now())
    assert promises.count() >= 2
    assert any(timezone.localdate(t.commitment_due_at) == today for t in promises) or (
        timezone.localtime().hour >= 22
    )
    assert not unfinished.filter(commitment_missed=True).exists()

    week_ago = timezone.now() - dt.timedelta(days=7)
    finished = SlaClock.objects.filter(stopped_at__gte=week_ago).exclude(final_band="")
    assert finished.count() >= 20
    assert Counter(finished.values_list("final_band", flat=True))[SlaBand.GREEN] / finished.count() >= 0.7

    assert InboundEmail.objects.filter(state=InboundEmail.State.BLOCKED).count() == 1

    report = handover.handover(last_week())
    assert sum(c.up + c.down for c in report.escalation_counts) >= 3
    assert report.notes and report.review and len(report.known_issues) >= 2

    # The partner outage: a parent with its child and a side thread holding the partner's ticket number.
    from partners import demo as partners_demo
    from partners.models import SideConversation

    side = SideConversation.objects.get(ticket__subject=partners_demo.PARENT)
    assert side.partner_ticket == "PP-20931" and side.messages.count() == 2
    assert side.ticket.links_out.filter(kind="parent").count() == 1
    assert partners_demo.seed(StringIO()) is False  # safe to run twice


def test_the_start_banner_lists_every_demo_login():
    banner = (ROOT / "scripts" / "run").read_text()
    for username, _what in demo.logins():
        assert re.search(rf"\b{username}\b", banner), f"{username} missing from the start banner"
    assert 'password "demo"' in banner

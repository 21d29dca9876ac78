"""The demo seed is idempotent and builds what the screens show."""

from __future__ import annotations

import io

from escalation import demo, selectors
from escalation.models import KnownIssue, KnownIssueLink, OnCallShift, TierAssignment
from tests.factories import ContactFactory, UserFactory
from tickets import services as core


def test_seed_twice_changes_nothing(db):
    for username, _ in demo.ROTA:
        UserFactory(username=username, role="Agent")
    contact = ContactFactory()
    for _ in range(7):
        core.open_ticket(contact, "Calendar not syncing with Airbnb", "help")
    demo.seed(io.StringIO())
    counts = (
        TierAssignment.objects.count(),
        OnCallShift.objects.count(),
        KnownIssue.objects.count(),
        KnownIssueLink.objects.count(),
    )
    demo.seed(io.StringIO())
    assert counts == (
        TierAssignment.objects.count(),
        OnCallShift.objects.count(),
        KnownIssue.objects.count(),
        KnownIssueLink.objects.count(),
    )
    assert counts[2] == 3 and counts[3] == 7
    posted = list(selectors.status_posts())
    assert len(posted) == 1 and posted[0].short_name == "airbnb-sync"
    assert KnownIssue.objects.get(short_name="widget-prices").status == KnownIssue.Status.RESOLVED

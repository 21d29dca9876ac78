"""First-response and resolution medians per priority (003), wall-clock seconds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sla.selectors import response_medians
from tests.factories import ContactFactory, TicketFactory
from tickets.models import Ticket


@pytest.mark.django_db
def test_medians_per_priority(django_assert_max_num_queries):
    requester = ContactFactory()
    now = timezone.now()
    base = now - dt.timedelta(days=2)
    for minutes, resolved_h, priority in (
        (10, 5, "high"),
        (30, None, "high"),
        (50, 1, "high"),
        (60, 2, "low"),
    ):
        t = TicketFactory(requester=requester, priority=priority)
        Ticket.objects.filter(pk=t.pk).update(
            created_at=base,
            first_response_at=base + dt.timedelta(minutes=minutes),
            resolved_at=base + dt.timedelta(hours=resolved_h) if resolved_h else None,
        )
    TicketFactory(requester=requester, priority="normal")  # created now, no response yet
    with django_assert_max_num_queries(1):
        result = response_medians(now - dt.timedelta(days=7), now + dt.timedelta(seconds=1))
    assert result["high"] == {
        "first_response": 1800.0,
        "first_response_n": 3,
        "resolution": 3 * 3600.0,
        "resolution_n": 2,
    }
    assert result["low"]["first_response"] == 3600.0
    assert result["normal"] == {
        "first_response": None,
        "first_response_n": 0,
        "resolution": None,
        "resolution_n": 0,
    }
    assert result["urgent"]["first_response_n"] == 0

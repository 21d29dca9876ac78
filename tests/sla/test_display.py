"""Queue rows and the workspace show business time left (issue #5 §7), in the clock's calendar."""

from __future__ import annotations

import pytest
import time_machine

from sla.models import BusinessCalendar
from tests.factories import OrganizationFactory, TicketFactory

from .conftest import LONDON, local

pytestmark = pytest.mark.django_db
FRIDAY_4PM = local(LONDON, 2026, 3, 27, 16, 0)


def _row_text(client, ticket) -> str:
    html = client.get("/queues/t1/").content.decode()
    row = html.split(f'id="row-{ticket.number}"')[1].split("</tr>")[0]
    return row.split('class="sla ')[1].split("</span>")[0].split(">")[1]


def test_friday_afternoon_counts_working_hours_not_the_weekend(london, agent, login):
    ticket = TicketFactory(
        tier="t1",
        status="open",
        sla_band="green",
        sla_green_until=local(LONDON, 2026, 3, 30, 10, 0),  # Monday 10:00
        sla_yellow_until=local(LONDON, 2026, 3, 31, 10, 0),
    )
    with time_machine.travel(FRIDAY_4PM, tick=False):
        c = login(agent)
        assert _row_text(c, ticket) == "2h 0m left"  # Fri 16–17 + Mon 09–10, not 2 days 18 hours
        workspace = c.get(f"/tickets/{ticket.number}/").content.decode()
        assert "2h 0m left" in workspace


def test_overdue_counts_business_time_and_an_override_calendar_applies(london, agent, login):
    late = TicketFactory(
        tier="t1",
        status="open",
        sla_band="red",
        sla_green_until=local(LONDON, 2026, 3, 26, 12),
        sla_yellow_until=local(LONDON, 2026, 3, 27, 9, 0),
    )  # Friday 09:00
    around_the_clock = BusinessCalendar.objects.create(
        name="24/7", time_zone="Europe/London", weekly_hours=[["00:00", "00:00"]] * 7
    )
    org = OrganizationFactory()
    around_the_clock.organizations.add(org)
    fast = TicketFactory(
        tier="t1",
        status="open",
        sla_band="green",
        organization=org,
        requester__organization=org,
        sla_green_until=local(LONDON, 2026, 3, 28, 16, 0),
        sla_yellow_until=local(LONDON, 2026, 3, 29, 16, 0),
    )
    with time_machine.travel(local(LONDON, 2026, 3, 30, 10, 0), tick=False):  # Monday 10:00
        c = login(agent)
        assert _row_text(c, late) == "1d 1h over"  # Fri 09–17 (one 8 h day) + Mon 09–10
        assert _row_text(c, fast) == "18h 0m over"  # 24/7: Sunday 16:00 → Monday 10:00, a day is 24 h


def test_the_calendar_map_is_cached_and_cleared_when_a_calendar_changes(
    london, agent, login, django_assert_max_num_queries
):
    from sla.display import calendar_map

    TicketFactory(
        tier="t1",
        status="open",
        sla_band="green",
        sla_green_until=local(LONDON, 2026, 3, 30, 10, 0),
        sla_yellow_until=local(LONDON, 2026, 3, 31, 10, 0),
    )
    c = login(agent)
    c.get("/queues/t1/")
    with django_assert_max_num_queries(
        4
    ):  # session, user, rows (+ tags on SQLite): the map comes from the cache
        c.get("/queues/t1/")
    london.weekly_hours = [["08:00", "18:00"]] * 5 + [None, None]
    london.save()
    assert calendar_map()["calendars"][london.pk]["weekly_hours"][0] == ["08:00", "18:00"]

"""Issue #15 item 7: SLA policies and calendars have sane bounds (limits up to 60 business days, at least
one working hour a week) with a clear error — a 68-year limit or one working minute a week is refused."""

from __future__ import annotations

import pytest

from sla.calendars import parse_hours
from sla.models import BusinessCalendar, SlaPolicy

SIXTY_EIGHT_YEARS = 68 * 365 * 24 * 3600
ONE_MINUTE_A_WEEK = [["09:00", "09:01"], None, None, None, None, None, None]


@pytest.fixture
def policy(db):
    return SlaPolicy.objects.filter(priority="").order_by("id").first()


def test_the_api_refuses_a_68_year_limit(client, manager, policy):
    client.force_login(manager)
    response = client.patch(
        f"/api/sla-policies/{policy.pk}/",
        {"green_seconds": 3600, "yellow_seconds": SIXTY_EIGHT_YEARS},
        content_type="application/json",
    )
    assert response.status_code == 400 and "at most 60 business days" in str(response.json())
    ok = client.patch(
        f"/api/sla-policies/{policy.pk}/",
        {"green_seconds": 3600, "yellow_seconds": 60 * 8 * 3600, "version": policy.version},
        content_type="application/json",
    )
    assert ok.status_code == 200


def test_the_policy_screen_refuses_a_limit_beyond_480_hours(client, manager, policy):
    client.force_login(manager)
    response = client.post(f"/sla/policies/{policy.pk}/", {"green_hours": "1", "yellow_hours": "600000"})
    assert response.status_code == 400 and b"At most 480 business hours" in response.content
    policy.refresh_from_db()
    assert policy.yellow_seconds < SIXTY_EIGHT_YEARS


def test_a_calendar_needs_an_hour_a_week():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least one working hour a week"):
        parse_hours(ONE_MINUTE_A_WEEK)
    assert parse_hours([["09:00", "10:00"], None, None, None, None, None, None])


def test_the_calendar_api_and_screen_refuse_one_minute_a_week(client, manager, db):
    client.force_login(manager)
    response = client.post(
        "/api/sla-calendars/",
        {"name": "Tiny", "time_zone": "UTC", "weekly_hours": ONE_MINUTE_A_WEEK},
        content_type="application/json",
    )
    assert response.status_code == 400 and "at least one working hour a week" in str(response.json())
    screen = client.post("/sla/calendars/new/", {"name": "Tiny", "time_zone": "UTC", "mon": "09:00-09:01"})
    assert screen.status_code in (200, 400) and b"at least one working hour a week" in screen.content
    assert not BusinessCalendar.objects.filter(name="Tiny").exists()

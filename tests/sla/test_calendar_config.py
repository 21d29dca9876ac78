"""BusinessCalendar rows → WorkingWeek: validation of bad input, holidays, per-organization override."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sla.calendars import business_day_seconds, calendar_for, parse_hours, validate_calendar, week_for
from sla.models import BusinessCalendar, SlaPolicy
from tests.factories import OrganizationFactory

WEEK = [["09:00", "17:00"]] * 5 + [None, None]


@pytest.mark.parametrize(
    "kwargs, field, text",
    [
        ({"weekly_hours": [None] * 7}, "weekly_hours", "no working hours"),
        ({"weekly_hours": [["17:00", "09:00"]] + WEEK[1:]}, "weekly_hours", "ends (09:00) before it starts"),
        (
            {"weekly_hours": [[["09:00", "12:00"], ["11:00", "17:00"]]] + WEEK[1:]},
            "weekly_hours",
            "shifts overlap",
        ),
        (
            {"weekly_hours": [[["09:00", "12:00"], ["13:00", "12:30"]]] + WEEK[1:]},
            "weekly_hours",
            "ends (12:30)",
        ),
        ({"weekly_hours": [["9am", "5pm"]] + WEEK[1:]}, "weekly_hours", "not a time"),
        ({"weekly_hours": WEEK[:5]}, "weekly_hours", "7 days"),
        ({"country": "XX"}, "country", "Unknown country code"),
        ({"country": "GB", "subdivision": "XX"}, "subdivision", "Unknown subdivision"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Unknown time zone"),
        ({"extra_holidays": ["2026-13-01"]}, "extra_holidays", "Not a date"),
    ],
)
def test_bad_calendars_get_a_clear_error(kwargs, field, text):
    args = {
        "time_zone": "Europe/London",
        "country": "",
        "subdivision": "",
        "weekly_hours": WEEK,
        "extra_holidays": [],
        **kwargs,
    }
    with pytest.raises(ValidationError) as err:
        validate_calendar(
            args["time_zone"],
            args["country"],
            args["subdivision"],
            args["weekly_hours"],
            args["extra_holidays"],
        )
    assert text in " ".join(err.value.message_dict[field])


def test_whole_day_and_default_hours():
    assert parse_hours([["00:00", "00:00"]] * 7)[6] == (dt.time(0), dt.time(0))
    assert parse_hours([])[0] == (dt.time(9), dt.time(17))


def test_split_shifts_are_parsed_in_order_and_count_as_one_business_day():
    split = [[["13:00", "17:00"], ["08:00", "12:00"]]] * 5 + [None, None]
    hours = parse_hours(split)
    assert hours[0] == ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))
    assert parse_hours([[["09:00", "17:00"]]] * 5 + [None, None])[0] == (dt.time(9), dt.time(17))
    validate_calendar("Europe/London", "", "", split, [])
    week = week_for(BusinessCalendar(name="Split", time_zone="Europe/London", weekly_hours=split))
    assert business_day_seconds(week) == 8 * 3600


@pytest.mark.django_db
def test_week_has_country_holidays_and_extra_dates():
    cal = BusinessCalendar.objects.create(
        name="UK",
        time_zone="Europe/London",
        country="GB",
        subdivision="ENG",
        weekly_hours=WEEK,
        extra_holidays=["2026-12-24"],
    )
    week = week_for(cal)
    assert dt.date(2026, 12, 25) in week.holidays and dt.date(2026, 12, 24) in week.holidays
    assert week.tz == "Europe/London" and business_day_seconds(week) == 8 * 3600
    cal.extra_holidays = ["2026-12-23"]
    cal.save()
    assert dt.date(2026, 12, 23) in week_for(cal).holidays  # the cache follows the content


@pytest.mark.django_db
def test_invalid_row_falls_back_to_the_default_week(caplog):
    cal = BusinessCalendar.objects.create(name="Broken", time_zone="Nowhere/Land", weekly_hours=WEEK)
    assert week_for(cal).tz == "UTC"
    assert "is invalid" in caplog.text


@pytest.mark.django_db
def test_policy_calendar_then_organization_then_default():
    org = OrganizationFactory()
    default = BusinessCalendar.objects.get(is_default=True)
    assert calendar_for(org.pk, None) == default
    own = BusinessCalendar.objects.create(
        name="Client hours", time_zone="America/New_York", weekly_hours=WEEK
    )
    own.organizations.add(org)
    assert calendar_for(org.pk, None) == own
    oncall = SlaPolicy.objects.get(tier="oncall").calendar
    assert calendar_for(org.pk, oncall) == oncall and business_day_seconds(week_for(oncall)) == 86400


@pytest.mark.django_db
def test_default_policies_follow_the_playbook():
    h, d = 3600, 8 * 3600
    rows = SlaPolicy.objects.filter(priority="").values_list("tier", "green_seconds", "yellow_seconds")
    got = {t: (g, y) for t, g, y in rows}
    assert got == {
        "triage": (2 * h, d),
        "t1": (2 * h, d),
        "t2": (d, 2 * d),
        "t3": (d, 2 * d),
        "t4": (2 * d, 3 * d),
        "t5": (2 * d, 3 * d),
        "oncall": (h, 4 * h),
    }


@pytest.mark.django_db
def test_policy_yellow_shorter_than_green_is_refused():
    from sla.services import save_policy
    from tickets.errors import InvalidInput

    policy = SlaPolicy.objects.get(tier="t2", priority="")
    policy.yellow_seconds = 60
    with pytest.raises(InvalidInput, match="Yellow cannot be shorter than green"):
        save_policy(policy)
    assert SlaPolicy.objects.get(pk=policy.pk).yellow_seconds == 16 * 3600

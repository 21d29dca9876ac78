"""Tests for sla.business_time: explicit cases (no DB, no Django); the hypothesis properties are in
test_business_time_properties.py.

Django-free run (the shared conftests configure Django):
pytest tests/sla/test_business_time.py -p no:django --noconftest
"""

from __future__ import annotations

import time as _time
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla.business_time import (
    DEFAULT_HOURS,
    WorkingWeek,
    add_business_time,
    business_seconds_between,
    is_working_time,
    next_working_instant,
)

UTC = UTC
NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
HOUR = 3600.0
US = 1e-6
FULL_DAY = (time(0), time(0))


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


def week_with(tz: str, **days: tuple[time, time] | None) -> WorkingWeek:
    """Week with only the given weekdays (mon..sun keywords) working."""
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return WorkingWeek(tz=tz, hours=tuple(days.get(n) for n in names))


# --------------------------------------------------------------------------- explicit cases


def test_friday_afternoon_plus_two_hours_is_monday_ten():
    week = WorkingWeek(tz="America/New_York")
    result = add_business_time(ny(2026, 1, 9, 16), 2 * HOUR, week)  # Friday
    assert result == ny(2026, 1, 12, 10)
    assert result.tzinfo is UTC


def test_span_used_up_at_end_of_day_returns_that_end():
    week = WorkingWeek(tz="America/New_York")
    assert add_business_time(ny(2026, 1, 9, 15), HOUR * 2, week) == ny(2026, 1, 9, 17)


def test_zero_seconds_returns_next_working_instant():
    week = WorkingWeek(tz="America/New_York")
    saturday = ny(2026, 1, 10, 12)
    assert add_business_time(saturday, 0, week) == ny(2026, 1, 12, 9)
    inside = ny(2026, 1, 12, 11, 30)
    assert add_business_time(inside, 0, week) == inside
    assert add_business_time(ny(2026, 1, 9, 17), 0, week) == ny(2026, 1, 12, 9)  # end is exclusive
    assert next_working_instant(saturday, week) == ny(2026, 1, 12, 9)


def test_is_working_time_boundaries():
    week = WorkingWeek(tz="America/New_York")
    assert is_working_time(ny(2026, 1, 12, 9), week)
    assert is_working_time(ny(2026, 1, 12, 16, 59, 59, 999999), week)
    assert not is_working_time(ny(2026, 1, 12, 17), week)
    assert not is_working_time(ny(2026, 1, 12, 8, 59, 59, 999999), week)
    assert not is_working_time(ny(2026, 1, 10, 12), week)  # Saturday


def test_between_basic_and_reversed():
    week = WorkingWeek(tz="America/New_York")
    assert business_seconds_between(ny(2026, 1, 9, 16), ny(2026, 1, 12, 10), week) == 2 * HOUR
    assert business_seconds_between(ny(2026, 1, 12, 10), ny(2026, 1, 9, 16), week) == 0.0
    assert business_seconds_between(ny(2026, 1, 12, 10), ny(2026, 1, 12, 10), week) == 0.0
    assert business_seconds_between(ny(2026, 1, 5), ny(2026, 1, 12), week) == 40 * HOUR
    assert business_seconds_between(ny(2026, 1, 10), ny(2026, 1, 12), week) == 0.0  # weekend


@pytest.mark.parametrize(
    ("span", "expected_hours"),
    [
        (FULL_DAY, 23),  # 2026-03-08: clocks jump 02:00 -> 03:00
        ((time(1), time(4)), 2),
        ((time(2, 30), time(4)), 1),  # nonexistent start shifts to 03:00 EDT
        ((time(0), time(2, 30)), 2),  # nonexistent end shifts to 03:00 EDT
        ((time(2), time(3)), 0),  # wholly inside the gap
        ((time(22), time(0)), 2),
    ],
)
def test_new_york_spring_forward_counts_real_seconds(span, expected_hours):
    week = week_with("America/New_York", sun=span)
    day = business_seconds_between(ny(2026, 3, 7), ny(2026, 3, 10), week)
    assert day == expected_hours * HOUR


@pytest.mark.parametrize(
    ("span", "expected_hours"),
    [
        (FULL_DAY, 25),  # 2026-11-01: clocks fall back 02:00 -> 01:00
        ((time(1), time(3)), 3),
        ((time(0), time(1, 30)), 1.5),  # ambiguous end: first occurrence (EDT)
        ((time(1, 30), time(3)), 2.5),  # ambiguous start: first occurrence (EDT)
    ],
)
def test_new_york_fall_back_counts_real_seconds(span, expected_hours):
    week = week_with("America/New_York", sun=span)
    assert business_seconds_between(ny(2026, 10, 31), ny(2026, 11, 3), week) == expected_hours * HOUR


def test_add_across_new_york_dst_sunday():
    week = week_with("America/New_York", sun=FULL_DAY)
    start = ny(2026, 3, 8)
    # 23 real hours exhaust the short Sunday exactly: earliest instant is its end.
    assert add_business_time(start, 23 * HOUR, week) == ny(2026, 3, 9)
    assert add_business_time(start, 24 * HOUR, week) == ny(2026, 3, 15, 1)
    assert add_business_time(start, 3 * HOUR, week) == ny(2026, 3, 8, 4)  # 00:00 EST + 3h = 04:00 EDT


def test_london_dst_sundays():
    week = week_with("Europe/London", sun=FULL_DAY)
    spring = datetime(2026, 3, 29, tzinfo=LONDON)
    autumn = datetime(2026, 10, 25, tzinfo=LONDON)
    assert business_seconds_between(spring, spring + timedelta(days=1), week) == 23 * HOUR
    assert business_seconds_between(autumn, autumn + timedelta(days=2), week) == 25 * HOUR


def test_us_holiday_is_skipped():
    week = WorkingWeek.from_country("America/New_York", "US", [2026])
    assert date(2026, 7, 3) in week.holidays  # Independence Day (observed), a Friday
    assert add_business_time(ny(2026, 7, 2, 16), 2 * HOUR, week) == ny(2026, 7, 6, 10)
    assert business_seconds_between(ny(2026, 7, 3), ny(2026, 7, 4), week) == 0.0
    assert not is_working_time(ny(2026, 7, 3, 12), week)


def test_from_country_accepts_int_year_and_extra_dates():
    week = WorkingWeek.from_country("Europe/London", "GB", 2026, extra_dates=[date(2026, 12, 24)])
    assert date(2026, 12, 25) in week.holidays
    assert date(2026, 12, 24) in week.holidays
    assert week.hours == DEFAULT_HOURS


def test_thirty_business_days_with_holidays():
    week = WorkingWeek.from_country("America/New_York", "US", [2026])
    # Mon 2026-01-05 .. : MLK day (Jan 19) and Washington's Birthday (Feb 16) are skipped.
    assert add_business_time(ny(2026, 1, 5, 9), 30 * 8 * HOUR, week) == ny(2026, 2, 17, 17)


def test_large_spans_iterate_per_day_not_per_second():
    week = WorkingWeek(tz="Europe/London")
    began = _time.perf_counter()
    result = add_business_time(datetime(2026, 1, 5, 9, tzinfo=LONDON), 2600 * 8 * HOUR, week)  # ~10 years
    assert _time.perf_counter() - began < 2.0
    assert business_seconds_between(datetime(2026, 1, 5, 9, tzinfo=LONDON), result, week) == 2600 * 8 * HOUR


def test_midnight_end_is_end_of_day_and_joins_next_day():
    week = week_with("UTC", mon=FULL_DAY, tue=FULL_DAY, wed=(time(22), time(0)))
    mon_23 = datetime(2026, 1, 5, 23, tzinfo=UTC)
    assert add_business_time(mon_23, 2 * HOUR, week) == datetime(2026, 1, 6, 1, tzinfo=UTC)
    assert is_working_time(datetime(2026, 1, 6, tzinfo=UTC), week)
    wed, fri = datetime(2026, 1, 7, tzinfo=UTC), datetime(2026, 1, 9, tzinfo=UTC)
    assert business_seconds_between(wed, fri, week) == 2 * HOUR
    # The 23:59:59.999999 spelling also works; it just stops one microsecond early.
    almost = week_with("UTC", mon=(time(0), time(23, 59, 59, 999999)))
    monday = datetime(2026, 1, 5, tzinfo=UTC)
    assert business_seconds_between(monday, monday + timedelta(days=1), almost) == 86400 - US


def test_input_in_other_zone_and_utc_output():
    week = WorkingWeek(tz="America/New_York")
    start = datetime(2026, 1, 9, 21, tzinfo=UTC)  # Friday 16:00 in New York
    result = add_business_time(start, 2 * HOUR, week)
    assert result == datetime(2026, 1, 12, 15, tzinfo=UTC)
    assert result.tzinfo is UTC


def test_validation_errors():
    week = WorkingWeek()
    aware = datetime(2026, 1, 5, tzinfo=UTC)
    naive = datetime(2026, 1, 5)  # noqa: DTZ001 (naive on purpose: it must be refused)
    with pytest.raises(ValueError):
        add_business_time(aware, -1, week)
    with pytest.raises(ValueError):
        add_business_time(aware, float("nan"), week)
    for call in (
        lambda: add_business_time(naive, 1, week),
        lambda: business_seconds_between(naive, aware, week),
        lambda: business_seconds_between(aware, naive, week),
        lambda: next_working_instant(naive, week),
        lambda: is_working_time(naive, week),
    ):
        with pytest.raises(ValueError, match="aware"):
            call()
    with pytest.raises(ValueError):
        WorkingWeek(hours=DEFAULT_HOURS[:6])
    with pytest.raises(ValueError):
        WorkingWeek(hours=((time(17), time(9)),) + DEFAULT_HOURS[1:])
    with pytest.raises(ValueError):
        WorkingWeek(hours=((time(9), time(9)),) + DEFAULT_HOURS[1:])
    with pytest.raises(ValueError):
        WorkingWeek(hours=(("09:00", "17:00"),) + DEFAULT_HOURS[1:])  # type: ignore[arg-type]
    with pytest.raises(KeyError):  # ZoneInfoNotFoundError
        WorkingWeek(tz="Not/AZone")


def test_no_working_time_raises():
    empty = WorkingWeek(hours=(None,) * 7)
    aware = datetime(2026, 1, 5, tzinfo=UTC)
    with pytest.raises(ValueError, match="calendar has no working time"):
        add_business_time(aware, 1, empty)
    with pytest.raises(ValueError, match="calendar has no working time"):
        next_working_instant(aware, empty)
    assert business_seconds_between(aware, aware + timedelta(days=30), empty) == 0.0
    assert not is_working_time(aware, empty)


def test_holidays_normalised_to_frozenset_and_hashable():
    week = WorkingWeek(holidays={date(2026, 1, 1)}, hours=list(DEFAULT_HOURS))  # type: ignore[arg-type]
    assert isinstance(week.holidays, frozenset)
    assert isinstance(week.hours, tuple)
    hash(week)


SPLIT = ((time(8), time(12)), (time(13), time(17)))


def test_split_shift_skips_the_lunch_break():
    week = WorkingWeek(tz="Europe/London", hours=(SPLIT,) * 5 + (None, None))
    monday_11 = datetime(2026, 11, 23, 11, tzinfo=LONDON)
    assert add_business_time(monday_11, 2 * HOUR, week) == datetime(2026, 11, 23, 14, tzinfo=LONDON)
    assert add_business_time(monday_11, HOUR, week) == datetime(2026, 11, 23, 12, tzinfo=LONDON)
    assert business_seconds_between(monday_11, datetime(2026, 11, 24, 9, tzinfo=LONDON), week) == 6 * HOUR
    assert not is_working_time(datetime(2026, 11, 23, 12, 30, tzinfo=LONDON), week)
    assert next_working_instant(datetime(2026, 11, 23, 12, 30, tzinfo=LONDON), week) == datetime(
        2026, 11, 23, 13, tzinfo=LONDON
    )
    assert week.day_seconds(0) == 8 * HOUR and week.day_seconds(5) == 0


def test_split_shifts_must_be_ordered_and_not_overlap():
    with pytest.raises(ValueError, match="overlaps"):
        WorkingWeek(hours=(((time(8), time(12)), (time(11), time(17))),) + DEFAULT_HOURS[1:])
    with pytest.raises(ValueError, match="overlaps"):
        WorkingWeek(hours=(tuple(reversed(SPLIT)),) + DEFAULT_HOURS[1:])
    touching = WorkingWeek(hours=(((time(8), time(12)), (time(12), time(16))),) + DEFAULT_HOURS[1:])
    assert touching.day_seconds(0) == 8 * HOUR

"""Property-based (hypothesis) tests of the business-time functions: inverse, monotonic, additive, zero
across holidays and days off, and a wall-clock oracle — over random weeks (split shifts included) in
zones with odd DST rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla.business_time import (
    DEFAULT_HOURS,
    WorkingWeek,
    add_business_time,
    business_seconds_between,
    is_working_time,
    next_working_instant,
)

UTC = UTC
US = 1e-6
FULL_DAY = (time(0), time(0))

PROPS = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
LIGHT = settings(PROPS, max_examples=100)


# --------------------------------------------------------------------------- strategies

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "America/Santiago",  # DST changes at local midnight
    "Asia/Kolkata",
]
# Instants near DST transitions (UTC) in the zones above, plus ordinary dates.
ANCHORS = [
    datetime(2026, 3, 8, 7, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 4, 4, 15, tzinfo=UTC),
    datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
    datetime(2026, 4, 5, 3, tzinfo=UTC),
    datetime(2026, 9, 6, 4, tzinfo=UTC),
    datetime(2026, 7, 3, 12, tzinfo=UTC),
]
WINDOW = 5 * 86400

offsets_us = st.one_of(
    st.integers(-WINDOW // 900, WINDOW // 900).map(lambda q: q * 900 * 10**6),  # quarter hours
    st.integers(-WINDOW, WINDOW).map(lambda s: s * 10**6),
    st.integers(-WINDOW * 10**6, WINDOW * 10**6),
)
utc_instants = st.builds(lambda a, us: a + timedelta(microseconds=us), st.sampled_from(ANCHORS), offsets_us)
# An aware datetime near a DST change, expressed in a random zone (possibly with fold=1).
instants = st.builds(lambda u, z: u.astimezone(ZoneInfo(z)), utc_instants, st.sampled_from(ZONES))

DAY_US = 86400 * 10**6
MIN_SPAN_US = 900 * 10**6
quarter_clock = st.integers(0, 96).map(lambda q: q * 900 * 10**6)
any_clock = st.one_of(
    quarter_clock,
    st.sampled_from([h * 3600 * 10**6 for h in (0, 1, 2, 3, 22, 23, 24)] + [5400 * 10**6, 9000 * 10**6]),
    st.integers(0, DAY_US),
)


def _clock(us: int) -> time:
    return time(0) if us == DAY_US else (datetime.min.replace(tzinfo=UTC) + timedelta(microseconds=us)).time()


def _span(a: int, b: int) -> tuple[time, time]:
    lo, hi = min(a, b), max(a, b)
    if hi - lo < MIN_SPAN_US:  # keep spans >= 15 min so large `seconds` need few days
        lo, hi = (0 if lo > DAY_US - MIN_SPAN_US else lo), DAY_US
    return _clock(lo), _clock(hi)


def _split(a: int, b: int, c: int, d: int) -> tuple[tuple[time, time], ...] | tuple[time, time]:
    """Two shifts with a gap (a split shift), from four clock readings; one span if they do not fit."""
    w, x, y, z = sorted((a, b, c, d))
    if x - w < MIN_SPAN_US or z - y < MIN_SPAN_US or y <= x:
        return _span(a, d)
    return ((_clock(w), _clock(x)), (_clock(y), _clock(z)))


def _shapes(clock: st.SearchStrategy[int]) -> st.SearchStrategy[tuple]:
    day = st.one_of(
        st.none(),
        st.builds(_span, clock, clock),
        st.just(FULL_DAY),
        st.builds(_split, clock, clock, clock, clock),
    )
    return st.tuples(*[day] * 7)


any_shapes = _shapes(any_clock)
quarter_shapes = _shapes(quarter_clock)  # every boundary on a quarter hour
holiday_offsets = st.frozensets(st.integers(-12, 12), max_size=8)


@st.composite
def weeks(draw, near: datetime, working: bool = True, shapes=any_shapes) -> WorkingWeek:
    """A random week; holidays fall within 12 local days of ``near``."""
    tz = draw(st.sampled_from(ZONES))
    hours = draw(shapes)
    if working and not any(hours):
        hours = DEFAULT_HOURS
    base = near.astimezone(ZoneInfo(tz)).date()
    holidays = frozenset(base + timedelta(days=n) for n in draw(holiday_offsets))
    return WorkingWeek(tz=tz, hours=hours, holidays=holidays)


@st.composite
def scenario(draw, n: int = 1, working: bool = True):
    points = [draw(instants) for _ in range(n)]
    return draw(weeks(points[0], working=working)), points


def chrono(*points: datetime) -> list[datetime]:
    """Sort by real instant; same-zone comparison of aware datetimes ignores ``fold``."""
    return sorted(points, key=lambda d: d.astimezone(UTC))


seconds = st.one_of(
    st.just(0.0),
    st.integers(0, 3 * 86400).map(float),
    st.floats(0, 3 * 86400, allow_nan=False, allow_infinity=False),
)


# --------------------------------------------------------------------------- properties


@PROPS
@given(scenario(), seconds)
def test_between_inverts_add(sc, s):
    week, (a,) = sc
    result = add_business_time(a, s, week)
    assert result.tzinfo is UTC
    assert result >= a
    assert abs(business_seconds_between(a, result, week) - s) <= US


@PROPS
@given(scenario(), seconds)
def test_add_returns_earliest_instant(sc, s):
    week, (a,) = sc
    result = add_business_time(a, s, week)
    needed = round(s * 1e6)
    if needed > 0:
        before = business_seconds_between(a, result - timedelta(microseconds=1), week)
        assert abs(before - (needed - 1) / 1e6) < 1e-7
        assert is_working_time(result - timedelta(microseconds=1), week)


@PROPS
@given(scenario(), seconds, seconds)
def test_add_is_monotonic(sc, s1, s2):
    week, (a,) = sc
    s1, s2 = sorted((s1, s2))
    assert add_business_time(a, s1, week) <= add_business_time(a, s2, week)


@PROPS
@given(scenario(n=2), seconds)
def test_add_is_monotonic_in_start(sc, s):
    week, (a, b) = sc
    a, b = chrono(a, b)
    assert add_business_time(a, s, week) <= add_business_time(b, s, week)


@PROPS
@given(scenario(n=3, working=False))
def test_between_is_additive(sc):
    week, points = sc
    a, b, c = chrono(*points)
    whole = business_seconds_between(a, c, week)
    assert abs(whole - (business_seconds_between(a, b, week) + business_seconds_between(b, c, week))) <= US


@LIGHT
@given(scenario(n=2, working=False))
def test_between_bounded_by_elapsed(sc):
    week, (a, b) = sc
    value = business_seconds_between(a, b, week)
    elapsed = (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds()  # same-zone '-' ignores fold
    assert 0.0 <= value <= max(0.0, elapsed)
    if elapsed <= 0:
        assert value == 0.0


@LIGHT
@given(scenario(), seconds)
def test_add_composes(sc, s):
    week, (a,) = sc
    half = s / 2
    via_midpoint = add_business_time(add_business_time(a, half, week), s - half, week)
    direct = add_business_time(a, s, week)
    assert abs((via_midpoint - direct).total_seconds()) <= 2 * US or (
        business_seconds_between(min(direct, via_midpoint), max(direct, via_midpoint), week) <= 2 * US
    )


@LIGHT
@given(scenario(n=2, working=False), st.data())
def test_adding_a_holiday_never_adds_time(sc, data):
    week, (a, b) = sc
    a, b = chrono(a, b)
    extra = a.astimezone(ZoneInfo(week.tz)).date() + timedelta(days=data.draw(st.integers(-6, 6)))
    more = WorkingWeek(tz=week.tz, hours=week.hours, holidays=week.holidays | {extra})
    assert business_seconds_between(a, b, more) <= business_seconds_between(a, b, week)


def _day_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC window certainly inside local ``day`` (robust to DST at midnight)."""

    def both(d: date) -> list[datetime]:
        return [datetime.combine(d, time(0)).replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1)]

    return max(both(day)), min(both(day + timedelta(days=1)))


@LIGHT
@given(scenario(working=False), st.booleans())
def test_holidays_and_days_off_contribute_zero(sc, as_holiday):
    week, (a,) = sc
    tz = ZoneInfo(week.tz)
    day = a.astimezone(tz).date()
    if as_holiday:
        week = WorkingWeek(tz=week.tz, hours=week.hours, holidays=week.holidays | {day})
    else:
        hours = list(week.hours)
        hours[day.weekday()] = None
        week = WorkingWeek(tz=week.tz, hours=tuple(hours), holidays=week.holidays)
    start, end = _day_window(day, tz)
    assert business_seconds_between(start, end, week) == 0.0
    assert not is_working_time(a, week)


@LIGHT
@given(scenario())
def test_next_working_instant_consistency(sc):
    week, (a,) = sc
    nxt = next_working_instant(a, week)
    assert nxt >= a
    assert nxt.tzinfo is UTC
    assert nxt == add_business_time(a, 0, week)
    assert is_working_time(nxt, week)
    assert business_seconds_between(a, nxt, week) == 0.0
    assert is_working_time(a, week) == (nxt == a.astimezone(UTC))  # PEP 495: inter-zone == is False in a fold


@LIGHT
@given(scenario(working=False))
def test_is_working_time_matches_between(sc):
    week, (a,) = sc
    after = a.astimezone(UTC) + timedelta(microseconds=1)  # UTC: local arithmetic would drop fold=1
    assert is_working_time(a, week) == (business_seconds_between(a, after, week) > 0)


# --------------------------------------------------------------------------- independent oracle


def _ambiguous(naive: datetime, tz: ZoneInfo) -> bool:
    first = naive.replace(tzinfo=tz, fold=0)
    exists = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive
    return exists and first.utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()


def _oracle_working(t: datetime, week: WorkingWeek) -> bool:
    """Working-ness from the instant's own wall clock, with fold-aware tie-breaking."""
    tz = ZoneInfo(week.tz)
    local = t.astimezone(tz)
    wall = local.replace(tzinfo=None, fold=0)
    day = wall.date()
    if day in week.holidays:
        return False
    return any(_oracle_in_span(local, wall, day, span, tz) for span in week.shifts[day.weekday()])


def _oracle_in_span(
    local: datetime, wall: datetime, day: date, span: tuple[time, time], tz: ZoneInfo
) -> bool:
    start = datetime.combine(day, span[0])
    if span[1] == time(0):
        end = datetime.combine(day + timedelta(days=1), time(0))
    else:
        end = datetime.combine(day, span[1])
    if local.fold == 0 or not _ambiguous(wall, tz):
        return start <= wall < end
    # Second occurrence of a repeated wall time: boundaries use their first occurrence.
    after_start = _ambiguous(start, tz) or start <= wall
    before_end = not _ambiguous(end, tz) and wall < end
    return after_start and before_end


@settings(PROPS, max_examples=120)
@given(st.sampled_from(ANCHORS), st.integers(-2 * 96, 96), st.data())
def test_matches_wall_clock_oracle_on_quarter_hour_grid(anchor, offset, data):
    """All zones used shift by multiples of 15 minutes, so a 15-minute UTC grid is exact."""
    start = anchor + timedelta(minutes=15 * offset)
    week = data.draw(weeks(start, working=False, shapes=quarter_shapes))
    grid = [start + timedelta(minutes=15 * i) for i in range(4 * 96)]
    flags = [_oracle_working(t, week) for t in grid]
    assert [is_working_time(t, week) for t in grid] == flags
    assert business_seconds_between(grid[0], grid[-1] + timedelta(minutes=15), week) == 900.0 * sum(flags)

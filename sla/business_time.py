"""Pure business-time arithmetic (no Django, no database).

A :class:`WorkingWeek` describes local working hours per weekday (one span, or
several for split shifts such as 08:00-12:00 and 13:00-17:00), a time zone and
a set of local holiday dates. All functions take aware datetimes and
return aware UTC datetimes; elapsed time is always real (UTC) seconds, so a
working day that contains a DST change counts 23 or 25 hours, not 24.

Conventions:

* Working intervals are half-open ``[start, end)`` in local wall time.
* ``end == time(0)`` means midnight at the *end* of the day (24:00), so
  ``(time(0), time(0))`` is the whole day. ``start`` must be ``< end`` otherwise.
* A day's shifts must be in order and must not overlap (touching is allowed).
* Each local boundary is converted to UTC with ``zoneinfo``: an ambiguous wall
  time (DST fall-back) uses its first occurrence (``fold=0``); a nonexistent
  wall time (DST spring-forward gap) is shifted forward to the end of the gap,
  i.e. the transition instant. This mapping is monotonic, so intervals stay
  ordered and never overlap. An interval that collapses to nothing (e.g.
  02:00-03:00 on a spring-forward day in New York) contributes zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as _holidays_lib

__all__ = [
    "DEFAULT_HOURS",
    "WorkingWeek",
    "add_business_time",
    "business_seconds_between",
    "is_working_time",
    "next_working_instant",
]

UTC = UTC
MIDNIGHT = time(0)
_ONE_DAY = timedelta(days=1)

Span = tuple[time, time]
DEFAULT_HOURS: tuple[Span | None, ...] = (
    *((time(9), time(17)),) * 5,
    None,
    None,
)


Day = Span | tuple[Span, ...] | None


def _seconds(t: time, end: bool = False) -> int:
    return 86400 if end and t == MIDNIGHT else t.hour * 3600 + t.minute * 60 + t.second


def _day_shifts(entry: object) -> tuple[Span, ...]:
    """One weekday's entry (None, a span, or a sequence of spans) -> its validated, ordered shifts."""
    if entry is None:
        return ()
    if not isinstance(entry, tuple | list):
        raise ValueError("working hours must be (time, time) pairs, sequences of them, or None")
    spans = (
        [tuple(entry)]
        if len(entry) == 2 and all(isinstance(t, time) for t in entry)
        else [tuple(x) for x in entry]
    )
    previous_end = -1
    for span in spans:
        if len(span) != 2 or not all(isinstance(t, time) for t in span):
            raise ValueError("working hours must be (time, time) pairs, sequences of them, or None")
        start, end = span
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("working hours must be naive local times")
        if end != MIDNIGHT and not start < end:
            raise ValueError(f"working hours start {start} must be before end {end}")
        if _seconds(start) < previous_end:
            raise ValueError(f"shift starting {start} overlaps the previous one or is out of order")
        previous_end = _seconds(end, end=True)
    return tuple(spans)  # type: ignore[arg-type]


@dataclass(frozen=True)
class WorkingWeek:
    """Working hours for Mon..Sun (``None`` = day off; a tuple of spans = split shifts) in zone ``tz``."""

    tz: str = "UTC"
    hours: tuple[Day, ...] = DEFAULT_HOURS
    holidays: frozenset[date] = frozenset()
    shifts: tuple[tuple[Span, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ZoneInfo(self.tz)  # raises ZoneInfoNotFoundError for unknown names
        hours = tuple(self.hours)
        if len(hours) != 7:
            raise ValueError("hours must have 7 entries (Mon..Sun)")
        object.__setattr__(self, "shifts", tuple(_day_shifts(day) for day in hours))
        object.__setattr__(self, "hours", hours)
        object.__setattr__(self, "holidays", frozenset(self.holidays))

    def day_seconds(self, weekday: int) -> int:
        """Nominal working seconds of a weekday (wall clock, ignoring DST and holidays)."""
        return sum(_seconds(end, end=True) - _seconds(start) for start, end in self.shifts[weekday])

    @classmethod
    def from_country(
        cls,
        tz: str,
        country_code: str,
        years: int | Iterable[int],
        hours: tuple[Day, ...] = DEFAULT_HOURS,
        extra_dates: Iterable[date] = (),
    ) -> WorkingWeek:
        """Build a week whose holidays are the public holidays (incl. observed) of a country."""
        years_list = [years] if isinstance(years, int) else list(years)
        public = _holidays_lib.country_holidays(country_code, years=years_list)
        return cls(tz=tz, hours=hours, holidays=frozenset(public) | frozenset(extra_dates))


def _as_utc(dt: datetime, name: str) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return dt.astimezone(UTC)


def _local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """Wall time -> UTC: fold=0 when ambiguous, end of the gap when nonexistent."""
    utc = naive.replace(tzinfo=tz).astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == naive:
        return utc
    # Nonexistent: binary-search the transition instant (tzdata uses whole seconds).
    lo = math.floor(naive.replace(tzinfo=tz, fold=1).astimezone(UTC).timestamp())
    hi = math.ceil(utc.timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, tz).replace(tzinfo=None) > naive:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC)


@lru_cache(maxsize=8192)
def _day_intervals(day: date, week: WorkingWeek, tz: ZoneInfo) -> tuple[tuple[datetime, datetime], ...]:
    """A day's working intervals in UTC (memoised: pages compute many deadlines over the same few days)."""
    if day in week.holidays:
        return ()
    intervals = []
    for start, end in week.shifts[day.weekday()]:
        end_naive = (
            datetime.combine(day + _ONE_DAY, MIDNIGHT) if end == MIDNIGHT else datetime.combine(day, end)
        )
        s = _local_to_utc(datetime.combine(day, start), tz)
        e = _local_to_utc(end_naive, tz)
        if s < e:
            intervals.append((s, e))
    return tuple(intervals)


def _intervals(
    at: datetime, week: WorkingWeek, until: datetime | None = None
) -> Iterator[tuple[datetime, datetime]]:
    """UTC working intervals ending after ``at``, in order; one step per local day.

    Unbounded when ``until`` is None; then raises ValueError if the calendar
    can never yield working time.
    """
    if until is None and not any(week.shifts):
        raise ValueError("calendar has no working time")
    tz = ZoneInfo(week.tz)
    day = at.astimezone(tz).date() - _ONE_DAY
    last = until.astimezone(tz).date() + _ONE_DAY if until is not None else None
    idle_limit = len(week.holidays) + 16  # weekends + every holiday + DST-collapsed days
    idle = 0
    while last is None or day <= last:
        found = False
        for interval in _day_intervals(day, week, tz):
            if interval[1] > at:
                found = True
                yield interval
        day += _ONE_DAY
        if found:
            idle = 0
        else:
            idle += 1
            if last is None and idle > idle_limit:
                raise ValueError("calendar has no working time")


def add_business_time(start: datetime, seconds: float, week: WorkingWeek) -> datetime:
    """The UTC instant at which ``seconds`` of working time have elapsed after ``start``.

    Returns the earliest such instant, so a span that is used up exactly at the
    end of a working interval returns that end (e.g. Fri 17:00, not Mon 09:00).
    ``seconds == 0`` returns :func:`next_working_instant` (``start`` itself if it
    is working time). Precision is one microsecond.
    """
    at = _as_utc(start, "start")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError("seconds must be a finite number >= 0")
    remaining = timedelta(microseconds=round(seconds * 1_000_000))
    for s, e in _intervals(at, week):
        s = max(s, at)
        if remaining <= e - s:
            return s + remaining
        remaining -= e - s
    raise AssertionError("unreachable: _intervals is unbounded")  # pragma: no cover


def business_seconds_between(a: datetime, b: datetime, week: WorkingWeek) -> float:
    """Working seconds in ``[a, b)``; 0.0 if ``b <= a``."""
    start, stop = _as_utc(a, "a"), _as_utc(b, "b")
    if stop <= start:
        return 0.0
    total = timedelta(0)
    for s, e in _intervals(start, week, until=stop):
        if s >= stop:
            break
        total += min(e, stop) - max(s, start)
    return total.total_seconds()


def next_working_instant(at: datetime, week: WorkingWeek) -> datetime:
    """``at`` (as UTC) if it is working time, else the start of the next working interval."""
    instant = _as_utc(at, "at")
    for s, _e in _intervals(instant, week):
        return max(s, instant)
    raise AssertionError("unreachable: _intervals is unbounded")  # pragma: no cover


def is_working_time(at: datetime, week: WorkingWeek) -> bool:
    """Whether ``at`` falls inside a working interval (start inclusive, end exclusive)."""
    instant = _as_utc(at, "at")
    for s, _e in _intervals(instant, week, until=instant):
        return s <= instant
    return False

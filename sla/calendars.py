"""From ``BusinessCalendar`` rows to the pure :class:`sla.business_time.WorkingWeek` (DESIGN §6).

Which calendar a ticket's clock uses: the tier policy's own calendar (e.g. on-call runs around the
clock), else the organization's override, else the default calendar, else Mon–Fri 09:00–17:00 in
``settings.TIME_ZONE``. Weeks are cached by the calendar's content (not its id), so an edit is seen at
once and the cache is derived data only."""

from __future__ import annotations

import datetime as dt
import json
import logging
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from .business_time import DEFAULT_HOURS, WorkingWeek
from .models import BusinessCalendar

log = logging.getLogger(__name__)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOLIDAY_YEARS_BACK, HOLIDAY_YEARS_AHEAD = 2, 3


def _parse_time(raw: Any, day: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(raw))
    except ValueError:
        raise ValidationError({"weekly_hours": f"{day}: {raw!r} is not a time like 09:00."}) from None


def _parse_span(span: Any, day: str) -> tuple[dt.time, dt.time]:
    if not isinstance(span, list | tuple) or len(span) != 2:
        raise ValidationError(
            {
                "weekly_hours": f'{day}: give a [start, end] pair like ["09:00", "17:00"], '
                f"or a list of pairs for split shifts."
            }
        )
    start, end = _parse_time(span[0], day), _parse_time(span[1], day)
    if end != dt.time(0) and not start < end:
        raise ValidationError(
            {"weekly_hours": f"{day}: the shift ends ({end:%H:%M}) before it starts ({start:%H:%M})."}
        )
    return start, end


def parse_hours(weekly_hours: Any) -> tuple[Any, ...]:
    """``[["09:00","17:00"], [["08:00","12:00"],["13:00","17:00"]], …, None]`` (Monday first; a list of
    pairs is a split shift) → WorkingWeek hours; raises ValidationError."""
    if not weekly_hours:
        return DEFAULT_HOURS
    if not isinstance(weekly_hours, list | tuple) or len(weekly_hours) != 7:
        raise ValidationError(
            {"weekly_hours": "Give working hours for the 7 days, Monday first (null = closed)."}
        )
    result: list[Any] = []
    for day, entry in zip(WEEKDAYS, weekly_hours, strict=True):
        if entry in (None, [], ""):
            result.append(None)
            continue
        if isinstance(entry, list | tuple) and entry and isinstance(entry[0], list | tuple):
            shifts = sorted(_parse_span(span, day) for span in entry)
            for (_s1, end1), (start2, _e2) in zip(shifts, shifts[1:], strict=False):
                if end1 == dt.time(0) or start2 < end1:
                    raise ValidationError(
                        {"weekly_hours": f"{day}: the shifts overlap ({end1:%H:%M} is after {start2:%H:%M})."}
                    )
            result.append(shifts[0] if len(shifts) == 1 else tuple(shifts))
        else:
            result.append(_parse_span(entry, day))
    if all(span is None for span in result):
        raise ValidationError({"weekly_hours": "The calendar has no working hours at all."})
    minutes = sum(_span_minutes(span) for entry in result if entry for span in _spans(entry))
    if minutes < MIN_WEEKLY_MINUTES:
        raise ValidationError(
            {
                "weekly_hours": f"The calendar has only {minutes} working minutes a week; give it at least "
                "one working hour a week, or SLA deadlines would lie years ahead."
            }
        )
    return tuple(result)


MIN_WEEKLY_MINUTES = 60


def _spans(entry: Any) -> list[tuple[dt.time, dt.time]]:
    return list(entry) if isinstance(entry[0], tuple | list) else [entry]


def _span_minutes(span: tuple[dt.time, dt.time]) -> int:
    start, end = span
    end_minutes = 24 * 60 if end == dt.time(0) else end.hour * 60 + end.minute
    return max(0, end_minutes - (start.hour * 60 + start.minute))


def parse_extra_dates(extra: Any) -> frozenset[dt.date]:
    if not extra:
        return frozenset()
    if not isinstance(extra, list | tuple):
        raise ValidationError({"extra_holidays": 'Give a list of dates like ["2026-12-24"].'})
    try:
        return frozenset(dt.date.fromisoformat(str(d)) for d in extra)
    except ValueError as exc:
        raise ValidationError({"extra_holidays": f"Not a date: {exc}."}) from None


def validate_calendar(time_zone: str, country: str, subdivision: str, weekly_hours: Any, extra: Any) -> None:
    """Raise a ValidationError (with field names) for anything a WorkingWeek could not be built from."""
    errors: dict[str, str] = {}
    try:
        ZoneInfo(time_zone or "")
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = f"Unknown time zone {time_zone!r}."
    if country:
        try:
            holidays_lib.country_holidays(country.upper(), years=[2026])
        except NotImplementedError:
            errors["country"] = f"Unknown country code {country!r}."
        else:
            try:
                holidays_lib.country_holidays(country.upper(), subdiv=subdivision or None, years=[2026])
            except (NotImplementedError, ValueError) as exc:
                errors["subdivision"] = f"Unknown subdivision {subdivision!r} for {country.upper()}: {exc}"
    elif subdivision:
        errors["subdivision"] = "A subdivision needs a country."
    for name, check in (
        ("weekly_hours", lambda: parse_hours(weekly_hours)),
        ("extra_holidays", lambda: parse_extra_dates(extra)),
    ):
        try:
            check()
        except ValidationError as exc:
            errors[name] = exc.message_dict[name][0]
    if errors:
        raise ValidationError(errors)


def _key(cal: BusinessCalendar) -> tuple[str, str, str, str, str, int]:
    return (
        cal.time_zone,
        (cal.country or "").upper(),
        cal.subdivision or "",
        json.dumps(cal.weekly_hours or []),
        json.dumps(sorted(map(str, cal.extra_holidays or []))),
        timezone.now().year,
    )


@lru_cache(maxsize=256)
def _build(
    time_zone: str, country: str, subdivision: str, hours_json: str, extra_json: str, year: int
) -> WorkingWeek:
    dates = set(parse_extra_dates(json.loads(extra_json)))
    if country:
        years = range(year - HOLIDAY_YEARS_BACK, year + HOLIDAY_YEARS_AHEAD + 1)
        dates |= set(holidays_lib.country_holidays(country, subdiv=subdivision or None, years=years))
    return WorkingWeek(tz=time_zone, hours=parse_hours(json.loads(hours_json)), holidays=frozenset(dates))


def week_for(cal: BusinessCalendar | None) -> WorkingWeek:
    """The WorkingWeek of a calendar row (cached by content); ``None`` → the built-in default week.

    A row that fails validation (edited behind the admin's back) falls back to the default week with
    a warning instead of stopping the clock.
    """
    if cal is None:
        return default_week()
    try:
        return _build(*_key(cal))
    except (ValidationError, ValueError, NotImplementedError, ZoneInfoNotFoundError, KeyError) as exc:
        log.warning("calendar %s is invalid (%s); using the default week", cal.pk, exc)
        return default_week()


def default_week() -> WorkingWeek:
    return WorkingWeek(tz=settings.TIME_ZONE, hours=DEFAULT_HOURS)


def default_calendar() -> BusinessCalendar | None:
    return BusinessCalendar.objects.filter(is_default=True).first()


def calendar_for(
    organization_id: int | None, policy_calendar: BusinessCalendar | None
) -> BusinessCalendar | None:
    """Policy calendar, else the organization's override, else the default calendar (may be None)."""
    if policy_calendar is not None:
        return policy_calendar
    if organization_id is not None:
        cal = BusinessCalendar.objects.filter(organizations=organization_id).order_by("id").first()
        if cal is not None:
            return cal
    return default_calendar()


def business_day_seconds(week: WorkingWeek) -> float:
    """Length of the calendar's typical working day (the most common daily total), e.g. 8 h."""
    lengths = [week.day_seconds(i) for i in range(7) if week.shifts[i]]
    return float(max(set(lengths), key=lengths.count)) if lengths else 8 * 3600.0

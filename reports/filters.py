"""Input parsing for the manager views (issue #7): dashboard filters and ISO weeks.

Bad input never crashes a view: parsers return the default value plus a list of clear messages; the
view then shows the *default* view with the messages and answers 400 ("bad input changes nothing").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tickets.models import Priority, Tier

DEFAULT_WEEKS = 8  # compliance trend length (issue #7: "over the last 8 weeks")
MAX_RANGE_DAYS = 366
_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def local_midnight(day: dt.date) -> dt.datetime:
    """Aware midnight at the start of ``day`` in the current (settings) time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard shows. ``date_from``/``date_to`` are inclusive local dates."""

    date_from: dt.date
    date_to: dt.date
    organization_id: int | None = None
    team_id: int | None = None
    priority: str = ""
    tier: str = ""

    @property
    def start(self) -> dt.datetime:
        return local_midnight(self.date_from)

    @property
    def end(self) -> dt.datetime:
        """Exclusive end: midnight after ``date_to``."""
        return local_midnight(self.date_to + dt.timedelta(days=1))

    def ticket_q(self, prefix: str = "") -> dict[str, Any]:
        """Filter kwargs for tickets (``prefix`` e.g. ``"ticket__"`` when filtering SLA clocks)."""
        kwargs: dict[str, Any] = {}
        if self.organization_id:
            kwargs[f"{prefix}organization_id"] = self.organization_id
        if self.team_id:
            kwargs[f"{prefix}team_id"] = self.team_id
        if self.priority:
            kwargs[f"{prefix}priority"] = self.priority
        return kwargs

    def querystring(self) -> str:
        """The filters as a query string (for CSV links and HTMX refresh)."""
        from urllib.parse import urlencode

        params = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        for key, value in (
            ("organization", self.organization_id),
            ("team", self.team_id),
            ("priority", self.priority),
            ("tier", self.tier),
        ):
            if value:
                params[key] = str(value)
        return urlencode(params)


def default_filters(today: dt.date | None = None) -> DashboardFilters:
    today = today or local_today()
    first_monday = week_start(today) - dt.timedelta(weeks=DEFAULT_WEEKS - 1)
    return DashboardFilters(date_from=first_monday, date_to=today)


def _parse_id(raw: str, label: str, errors: list[str]) -> int | None:
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
        return int(raw)
    errors.append(f"Unknown {label} {raw!r}.")
    return None


def _parse_date(raw: str, label: str, errors: list[str]) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"The {label} date {raw!r} is not a date like 2026-11-23.")
        return None


def parse_filters(params: Any, today: dt.date | None = None) -> tuple[DashboardFilters, list[str]]:
    """Filters from a QueryDict. Any error → the default filters and the messages."""
    today = today or local_today()
    default = default_filters(today)
    errors: list[str] = []
    get = lambda key: (params.get(key) or "").strip()  # noqa: E731
    organization_id = _parse_id(get("organization"), "organization", errors)
    team_id = _parse_id(get("team"), "team", errors)
    priority, tier = get("priority"), get("tier")
    if priority and priority not in Priority.values:
        errors.append(f"Unknown priority {priority!r}; use one of {', '.join(Priority.values)}.")
    if tier and tier not in Tier.values:
        errors.append(f"Unknown tier {tier!r}; use one of {', '.join(Tier.values)}.")
    date_from = _parse_date(get("from"), "from", errors) or default.date_from
    date_to = _parse_date(get("to"), "to", errors) or default.date_to
    if date_from > date_to:
        errors.append(f"The date range is inverted: {date_from} is after {date_to}.")
    elif (date_to - date_from).days > MAX_RANGE_DAYS:
        errors.append(f"The date range is longer than {MAX_RANGE_DAYS} days; pick a shorter range.")
    if errors:
        return default, errors
    return DashboardFilters(
        date_from=date_from,
        date_to=date_to,
        organization_id=organization_id,
        team_id=team_id,
        priority=priority,
        tier=tier,
    ), []


@dataclass(frozen=True)
class Week:
    """An ISO week in the current time zone: ``[start, end)``."""

    year: int
    number: int
    errors: list[str] = field(default_factory=list, compare=False)

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def start(self) -> dt.datetime:
        return local_midnight(self.monday)

    @property
    def end(self) -> dt.datetime:
        return local_midnight(self.monday + dt.timedelta(weeks=1))

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def shifted(self, weeks: int) -> Week:
        return week_of(self.monday + dt.timedelta(weeks=weeks))

    def __str__(self) -> str:
        return self.label


def week_of(day: dt.date) -> Week:
    iso = day.isocalendar()
    return Week(iso.year, iso.week)


def last_week(today: dt.date | None = None) -> Week:
    """The handover default: the last complete week (the meeting is on Monday, 004)."""
    return week_of((today or local_today()) - dt.timedelta(weeks=1))


def parse_week(raw: str | None, today: dt.date | None = None) -> Week:
    """``2026-W47`` → that week; empty → last week; anything else → last week with an error message."""
    today = today or local_today()
    raw = (raw or "").strip()
    if not raw:
        return last_week(today)
    match = _WEEK_RE.match(raw)
    error = f"{raw[:40]!r} is not a week like 2026-W47; showing last week instead."
    if match:
        year, number = int(match[1]), int(match[2])
        try:
            dt.date.fromisocalendar(year, number, 1)
        except ValueError:
            error = f"{raw[:40]!r} does not exist (week {number} of {year}); showing last week instead."
        else:
            if year < 2000 or dt.date.fromisocalendar(year, number, 1) > today:
                error = f"{raw[:40]!r} is outside the report range (2000 up to this week); showing last week."
            else:
                return Week(year, number)
    default = last_week(today)
    return Week(default.year, default.number, errors=[error])

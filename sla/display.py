"""Business time left on queue rows and in the workspace (issue #5 §7): the stored deadlines compared with
now in the calendar the ticket's clock runs on, so "2h left" on a Friday at 16:00 means two working hours,
not the weekend.

Listed in ``helpdesk/workspace.py`` as the workspace's time-left provider; reads no rows per page: which
calendar applies to which tier/priority/organization is one small map, cached until a calendar or policy
changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import transaction

from helpdesk import localcache
from tickets.selectors import sla_target

from .business_time import WorkingWeek, business_seconds_between
from .calendars import business_day_seconds, week_for
from .models import BusinessCalendar, SlaPolicy

MAP_SECONDS = 300


def _map_key() -> str:
    return "sla:calendar-map:v1"


def forget_calendar_map(*args: Any, **kwargs: Any) -> None:
    """Signal receiver: a calendar, a policy or an organization override changed."""
    key = _map_key()
    cache.delete(key)
    localcache.forget(key)
    transaction.on_commit(
        lambda: (cache.delete(key), localcache.forget(key))
    )  # a read before commit re-cached


def calendar_map() -> dict[str, Any]:
    """{"default": id, "orgs": {org: id}, "policies": {"tier:priority": id}, "calendars": {id: fields}};
    kept 10 s in the process in front of the shared cache (display only: other processes see an edit within
    10 s)."""
    return localcache.remembered(_map_key(), 10, _shared_calendar_map)


def _shared_calendar_map() -> dict[str, Any]:
    found = cache.get(_map_key())
    if found is None:
        calendars = {
            c["id"]: c
            for c in BusinessCalendar.objects.values(
                "id", "time_zone", "country", "subdivision", "weekly_hours", "extra_holidays", "is_default"
            )
        }
        through = BusinessCalendar.organizations.through.objects.values_list(
            "organization_id", "businesscalendar_id"
        )
        found = {
            "default": next((pk for pk, c in calendars.items() if c["is_default"]), None),
            "orgs": dict(reversed(list(through.order_by("businesscalendar_id")))),  # lowest id wins
            "policies": {
                f"{t}:{p}": cal
                for t, p, cal in SlaPolicy.objects.filter(calendar__isnull=False).values_list(
                    "tier", "priority", "calendar"
                )
            },
            "calendars": calendars,
        }
        cache.set(_map_key(), found, MAP_SECONDS)
    return found


def _week(cal_id: int | None, calendars: dict[int, dict]) -> WorkingWeek:
    fields = calendars.get(cal_id)
    if fields is None:
        return week_for(None)
    return week_for(BusinessCalendar(**{k: v for k, v in fields.items() if k != "is_default"}))


def organization_week(organization_id: int | None) -> WorkingWeek:
    """The requester's working week (the organization's calendar, else the default) from the cached map:
    no query for the reply form's quick picks (issue #20)."""
    cmap = calendar_map()
    cal = cmap["orgs"].get(organization_id) if organization_id is not None else None
    return _week(cal if cal is not None else cmap["default"], cmap["calendars"])


def calendar_id(ticket: Any, cmap: dict[str, Any]) -> int | None:
    """The clock's calendar (sla.clock): the tier policy's own, else the organization's, else the default."""
    policies = cmap["policies"]
    return (
        policies.get(f"{ticket.tier}:{ticket.priority}")
        or policies.get(f"{ticket.tier}:")
        or cmap["orgs"].get(ticket.organization_id)
        or cmap["default"]
    )


def span(seconds: float, day: float) -> str:
    """Business time as text: business days of the calendar's working day, hours, minutes."""
    seconds = int(abs(seconds))
    days, rest = divmod(seconds, int(day) or 8 * 3600)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {minutes}m" if hours else f"{minutes}m"


def time_left(rows: list[Any], now: dt.datetime) -> None:
    """Replace the wall-clock text of running SLA rows by business time to the next band change."""
    running = [(t, target) for t in rows if (target := sla_target(t, now)) is not None]
    if not running:
        return
    cmap = calendar_map()
    weeks: dict[int | None, tuple[WorkingWeek, float]] = {}  # most rows share one or two calendars
    for t, (_band, deadline, late) in running:
        cal = calendar_id(t, cmap)
        if cal not in weeks:
            week = _week(cal, cmap["calendars"])
            weeks[cal] = (week, business_day_seconds(week))
        week, day = weeks[cal]
        if late:
            t.sla_text = f"{span(business_seconds_between(deadline, now, week), day)} over"
        else:
            t.sla_text = f"{span(business_seconds_between(now, deadline, week), day)} left"

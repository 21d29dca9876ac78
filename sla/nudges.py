"""Stale-ticket nudges (seed 002 "update the user at least once a day") and holding-reply offers
(seed 004 T3: "not answered for 2 business days … send the user a note that we're still looking").

Both are timestamp timers on ``TicketSlaState`` (``nudge_due_at``, ``holding_due_at``), restarted by
the receivers on every public reply and on reopening. The job selects due rows through partial
indexes, in chunks, with ``FOR UPDATE SKIP LOCKED``; it writes one notice and one event per row and
moves the timer one stale period on (computed once per calendar, not per row), so a second run finds
nothing and every stale period gets exactly one nudge."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from playbook import params
from tickets.models import ACTIVE_STATUSES, Notification, TicketEvent, Tier

from .business_time import add_business_time
from .calendars import business_day_seconds, default_calendar, week_for
from .models import BusinessCalendar, TicketSlaState
from .warnings import tier_leads

log = logging.getLogger(__name__)

HOLDING_REPLY = (
    'Hi {name},\n\nA quick update on "{subject}" (#{number}): we\'re still looking into this. '
    "We haven't forgotten you and will write again as soon as we know more.\n\n— The support team"
)
NUDGE_TEXT = (
    "#{number} {subject}: the requester has not heard from us for a business day. "
    "Send them an update, even if nothing has changed."
)
HOLDING_TEXT = (
    "#{number} {subject} has not been answered for 2 business days. If you won't get to it "
    "today, send the ready-made holding reply from the ticket."
)


class _Calendars:
    """Organization → calendar, and 'n business days after now' per calendar, computed once per run."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.default = default_calendar()
        self.by_org: dict[int, BusinessCalendar] = {}
        through = BusinessCalendar.organizations.through
        cals = {c.pk: c for c in BusinessCalendar.objects.filter(organizations__isnull=False).distinct()}
        for org_id, cal_id in through.objects.order_by("-businesscalendar_id").values_list(
            "organization_id", "businesscalendar_id"
        ):
            self.by_org[org_id] = cals[cal_id]
        self._cache: dict[tuple[int | None, float], dt.datetime] = {}

    def after(self, org_id: int | None, days: float) -> dt.datetime:
        cal = self.by_org.get(org_id) if org_id else None
        cal = cal or self.default
        key = (cal.pk if cal else None, days)
        if key not in self._cache:
            week = week_for(cal)
            self._cache[key] = add_business_time(self.now, days * business_day_seconds(week), week)
        return self._cache[key]


def nudge_stale_tickets(now: dt.datetime | None = None, chunk: int = 500) -> dict[str, int]:
    now = now or timezone.now()
    cals = _Calendars(now)
    return {"nudged": _nudges(now, chunk, cals), "holding_offered": _holding(now, chunk, cals)}


def _due(field: str, now: dt.datetime, last_id: int, chunk: int, **extra: object) -> list[tuple]:
    return list(
        TicketSlaState.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(**{f"{field}__lte": now}, ticket_id__gt=last_id, ticket__status__in=ACTIVE_STATUSES, **extra)
        .order_by("ticket_id")
        .values_list(
            "ticket_id",
            field,
            "ticket__number",
            "ticket__subject",
            "ticket__assignee_id",
            "ticket__organization_id",
            "ticket__requester__name",
            "ticket__tier",
        )[:chunk]
    )


def _nudges(now: dt.datetime, chunk: int, cals: _Calendars) -> int:
    done, last_id = 0, 0
    while True:
        with transaction.atomic():
            rows = _due("nudge_due_at", now, last_id, chunk, ticket__assignee__isnull=False)
            if not rows:
                return done
            last_id = rows[-1][0]
            _reschedule(
                rows, "nudge_due_at", params.get("stale_nudge_business_days"), cals, count_field="nudges_sent"
            )
            _write(rows, "stale_nudge", NUDGE_TEXT, lambda row: row[4])
            done += len(rows)
        if len(rows) < chunk:
            return done


def _holding(now: dt.datetime, chunk: int, cals: _Calendars) -> int:
    done, last_id = 0, 0
    leads = tier_leads()
    while True:
        with transaction.atomic():
            rows = _due("holding_due_at", now, last_id, chunk, ticket__tier=Tier.T3)
            if not rows:
                return done
            last_id = rows[-1][0]
            _reschedule(rows, "holding_due_at", params.get("holding_reply_business_days"), cals)
            for pk, _due_at, number, subject, _a, _o, name, _t in rows:
                TicketSlaState.objects.filter(ticket_id=pk).update(
                    holding_offered_at=now,
                    holding_reply=HOLDING_REPLY.format(name=name, subject=subject, number=number),
                )
            _write(rows, "holding_reply_offered", HOLDING_TEXT, lambda row: row[4] or leads.get(Tier.T3))
            done += len(rows)
        if len(rows) < chunk:
            return done


def _reschedule(rows: list[tuple], field: str, days: float, cals: _Calendars, count_field: str = "") -> None:
    """Move each timer one stale period past now: one UPDATE per calendar."""
    groups: dict[dt.datetime, list[int]] = defaultdict(list)
    for row in rows:
        groups[cals.after(row[5], days)].append(row[0])
    from django.db.models import F

    for next_due, ids in groups.items():
        extra = {count_field: F(count_field) + 1} if count_field else {}
        TicketSlaState.objects.filter(ticket_id__in=ids).update(**{field: next_due}, **extra)


def _write(rows: list[tuple], verb: str, text: str, recipient) -> None:
    TicketEvent.objects.bulk_create(
        [TicketEvent(ticket_id=row[0], verb=verb, data={"due_at": row[1].isoformat()}) for row in rows]
    )
    notes = []
    for row in rows:
        user_id = recipient(row)
        if user_id is None:
            continue
        pk, due_at, number, subject = row[:4]
        notes.append(
            Notification.in_app(
                ticket_id=pk,
                recipient_user_id=user_id,
                reason=verb,
                subject=f"[#{number}] {subject}"[:250],
                body=text.format(number=number, subject=subject),
                dedupe_key=f"{verb}:{pk}:{int(due_at.timestamp())}",
            )
        )
    if notes:
        Notification.objects.bulk_create(notes, ignore_conflicts=True)

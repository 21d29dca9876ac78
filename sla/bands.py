"""The band job (DESIGN §4, issue #5 §4): green → yellow → red for running clocks.

Each chunk is one transaction: the due rows are claimed with ``FOR UPDATE SKIP LOCKED`` (so two
workers never take the same ticket and a ticket someone is editing waits for the next run) and the
well-formed ones moved in the same statement, which also writes their events and warnings (on PostgreSQL
``WITH due AS (… SKIP LOCKED), moved AS (UPDATE … RETURNING), … INSERT … SELECT``, issue #20 §5: no
Python per row, one round trip per chunk): one event and one warning each, made from exactly the rows
that were updated. A moved row no longer matches, so a second
run finds nothing. Malformed rows (a yellow deadline before the green one, a missing deadline, an
unknown tier) are logged, disarmed with an event and skipped; the batch goes on.

The selects use the partial indexes ``sla_ticket_green_due`` / ``sla_ticket_yellow_due`` (migration
0004), so a run with nothing to do reads a few index pages."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from helpdesk.batch import insert_columns
from tickets import fragments
from tickets.models import ACTIVE_STATUSES, Notification, SlaBand, Ticket, TicketEvent, Tier

from .models import SlaClock, SlaPolicy
from .warnings import TEXT, BandChange, tier_leads, write_all

log = logging.getLogger(__name__)

DEFAULT_CHUNK = 2000
_FIELDS = (
    "id",
    "number",
    "subject",
    "tier",
    "assignee_id",
    "sla_band",
    "sla_green_until",
    "sla_yellow_until",
)


def due_predicate(band: str, now: dt.datetime) -> Q:
    """Tickets that must move to ``band`` at ``now`` (shape matches the partial indexes)."""
    if band == SlaBand.RED:
        return Q(
            sla_band__in=[SlaBand.GREEN, SlaBand.YELLOW],
            sla_yellow_until__lte=now,
            status__in=ACTIVE_STATUSES,
        )
    return Q(
        sla_band=SlaBand.GREEN, sla_green_until__lte=now, sla_yellow_until__gt=now, status__in=ACTIVE_STATUSES
    )


def update_sla_bands(now: dt.datetime | None = None, chunk: int = DEFAULT_CHUNK) -> dict[str, int]:
    now = now or timezone.now()
    counts = {SlaBand.YELLOW: 0, SlaBand.RED: 0, "skipped": 0}
    leads: dict[str, int] | None = None
    for band in (SlaBand.RED, SlaBand.YELLOW):
        last_id = 0
        while True:
            with transaction.atomic():
                rows = _claim(band, now, last_id, chunk)
                if not rows:
                    break
                last_id = rows[-1][0]
                good, bad = _split(rows)
                fragments.events_written(row[0] for row in good)  # their workspace's history moved on
                if bad:
                    _disarm(bad)
                    counts["skipped"] += len(bad)
                if good and connection.vendor == "postgresql":
                    counts[band] += len(good)  # moved, with their events and notices, by ``_claim``
                elif good:
                    if leads is None:
                        leads = tier_leads()
                    counts[band] += _move(good, band, leads)
            if len(rows) < chunk:
                break
    return counts


def _claim(band: str, now: dt.datetime, last_id: int, chunk: int) -> list[tuple]:
    """Take up to ``chunk`` due rows after ``last_id`` (``FOR UPDATE SKIP LOCKED``) and move the well-formed
    ones to ``band`` — on PostgreSQL in ONE statement, ``WITH due AS (SELECT … FOR UPDATE SKIP LOCKED)
    UPDATE … RETURNING`` with the old band; malformed rows keep theirs and are returned for ``_split``."""
    due = (
        Ticket.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(due_predicate(band, now), id__gt=last_id)
        .order_by("id")
    )
    if connection.vendor != "postgresql":
        rows = list(due.values_list(*_FIELDS)[:chunk])
        good, _bad = _split(rows, log_bad=False)
        Ticket.objects.filter(id__in=[r[0] for r in good]).update(sla_band=band)
        return rows
    inner, params = due.values("id", "sla_band")[:chunk].query.sql_with_params()
    sql, more = _claim_sql(band)
    with connection.cursor() as cur:
        cur.execute(f"WITH due AS ({inner}), {sql}", [*params, *more])
        return sorted(cur.fetchall())


def _claim_sql(band: str) -> tuple[str, list[Any]]:
    """The rest of the chunk's one statement after ``due`` (PostgreSQL): move the well-formed rows, then
    INSERT … SELECT their events and notices (recipients, texts and dedupe keys as ``write_all`` makes
    them, written as sent like every in-app notice; a notice already sent under its key is skipped),
    returning every claimed row with its old band."""
    from django.contrib.auth import get_user_model

    from helpdesk.permissions import MANAGER

    leads, leads_params = (
        SlaPolicy.objects.filter(priority="", lead__isnull=False)
        .values("tier", "lead_id")
        .query.sql_with_params()
    )
    manager, manager_params = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MANAGER)
        .order_by("id")
        .values("id")[:1]
        .query.sql_with_params()
    )
    first, then = ("lead_id", "assignee_id") if band == SlaBand.RED else ("assignee_id", "lead_id")
    deadline = "sla_yellow_until" if band == SlaBand.RED else "sla_green_until"
    event_cols, event_sel, event_params = insert_columns(TicketEvent, _event_given(), connection)
    note_cols, note_sel, note_params = insert_columns(Notification, _notice_given(band, deadline), connection)
    sql = (
        f"leads AS ({leads}), mgr AS ({manager}), "
        "moved AS (UPDATE tickets_ticket AS t SET sla_band = CASE WHEN "
        "t.sla_green_until IS NULL OR t.sla_yellow_until IS NULL "
        "OR t.sla_yellow_until < t.sla_green_until OR NOT (t.tier = ANY(%s)) THEN t.sla_band ELSE %s END "
        "FROM due WHERE t.id = due.id RETURNING t.id, t.number, t.subject, t.tier, t.assignee_id, "
        "due.sla_band AS old_band, t.sla_band AS new_band, t.sla_green_until, t.sla_yellow_until), "
        f"good AS (SELECT m.*, (SELECT c.id FROM {SlaClock._meta.db_table} c WHERE c.ticket_id = m.id "
        "AND c.stopped_at IS NULL ORDER BY c.id DESC LIMIT 1) AS clock_id, (SELECT l.lead_id FROM leads l "
        "WHERE l.tier = m.tier LIMIT 1) AS lead_id FROM moved m WHERE m.new_band = %s), "
        f"told AS (SELECT good.*, COALESCE({first}, {then}, (SELECT id FROM mgr)) AS recipient FROM good), "
        f"ev AS (INSERT INTO {TicketEvent._meta.db_table} ({event_cols}) SELECT {event_sel} FROM good), "
        f"notes AS (INSERT INTO {Notification._meta.db_table} ({note_cols}) SELECT {note_sel} FROM told "
        "WHERE recipient IS NOT NULL ON CONFLICT DO NOTHING) "
        "SELECT id, number, subject, tier, assignee_id, old_band, sla_green_until, sla_yellow_until "
        "FROM moved"
    )
    params = [*leads_params, *manager_params, list(Tier.values), band, band, *event_params, *note_params]
    return sql, params


def _event_given() -> dict[str, tuple[str, list[Any]]]:
    return {
        "ticket": ("id", []),
        "verb": ("%s", ["sla_band_changed"]),
        "data": ("jsonb_build_object('old', old_band, 'new', new_band, 'clock', clock_id)", []),
    }


def _notice_given(band: str, deadline: str) -> dict[str, tuple[str, list[Any]]]:
    """The notice of ``write_all`` as SQL over a ``told`` row: the text of ``TEXT[band]`` filled in."""
    parts = re.split(r"\{(\w+)\}", TEXT[SlaBand(band)])  # literal, name, literal, …
    names = {"number": "number::text", "subject": "subject", "tier": "upper(tier)"}
    body = " || ".join("%s" if i % 2 == 0 else names[p] for i, p in enumerate(parts))
    cycle = (
        f"CASE WHEN clock_id IS NOT NULL THEN 'clock' || clock_id "
        f"ELSE 'at' || floor(extract(epoch FROM {deadline}))::bigint END"
    )
    shown = Notification.in_app()
    return {
        "ticket": ("id", []),
        "recipient_user": ("recipient", []),
        "channel": ("%s", [shown.channel]),
        "state": ("%s", [shown.state]),
        "sent_at": ("%s", [shown.sent_at]),
        "reason": ("%s", [f"sla_{band}"]),
        "subject": ("left('[#' || number || '] ' || subject, 250)", []),
        "body": (body, parts[0::2]),
        "dedupe_key": (f"%s || id || ':' || {cycle}", [f"sla_{band}:"]),
    }


def _split(rows: list[tuple], log_bad: bool = True) -> tuple[list[tuple], list[tuple[int, str]]]:
    good, bad = [], []
    tiers = frozenset(Tier.values)  # ``Tier.values`` builds a new list on every access
    for row in rows:
        pk, _number, _subject, tier, _assignee, _band, green, yellow = row
        if green is None or yellow is None:
            problem = "a running clock without both deadlines"
        elif yellow < green:
            problem = f"yellow deadline {yellow.isoformat()} is before green {green.isoformat()}"
        elif tier not in tiers:
            problem = f"unknown tier {tier!r}"
        else:
            good.append(row)
            continue
        if log_bad:
            log.warning("ticket %s: malformed SLA row skipped: %s", pk, problem)
        bad.append((pk, problem))
    return good, bad


def _move(rows: list[tuple], band: str, leads: dict[str, int]) -> int:
    """The events and warnings of rows ``_claim`` already moved."""
    ids = [r[0] for r in rows]
    clocks = dict(
        SlaClock.objects.filter(ticket_id__in=ids, stopped_at__isnull=True).values_list("ticket_id", "id")
    )
    changes = [
        BandChange(
            pk,
            number,
            subject,
            tier,
            assignee,
            old,
            band,
            clocks.get(pk),
            int((yellow if band == SlaBand.RED else green).timestamp()),
        )
        for pk, number, subject, tier, assignee, old, green, yellow in rows
    ]
    write_all(changes, leads)
    return len(rows)


def _disarm(bad: list[tuple[int, str]]) -> None:
    """Clear the deadlines of rows that cannot be banded, with an event saying why (not retried forever)."""
    Ticket.objects.filter(id__in=[pk for pk, _ in bad]).update(
        sla_band=SlaBand.NONE, sla_green_until=None, sla_yellow_until=None
    )
    TicketEvent.objects.bulk_create(
        [TicketEvent(ticket_id=pk, verb="sla_skipped", data={"reason": problem[:500]}) for pk, problem in bad]
    )

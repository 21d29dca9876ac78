"""Run one bulk action on the rows picked in a queue (issue #16). Each row goes through the action's
service with the version the screen showed, in its own savepoint: a row someone changed meanwhile, or
one the person may not change, is skipped with the reason and nothing is stored for it; the others go
through. The tickets are read in one query; each row then costs what its single change costs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.timesince import timesince

from helpdesk.people import display_name
from tickets.errors import StaleTicket, TicketError
from tickets.models import Ticket, TicketEvent

if TYPE_CHECKING:
    from tickets.bulk import BulkAction

MAX_ROWS = 200  # My work shows up to 200 rows; a queue page 50


@dataclass
class BulkReport:
    changed: list[int] = field(default_factory=list)  # ticket numbers
    unchanged: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (number, why)
    ids: list[int] = field(default_factory=list)  # every picked ticket that exists (rows to refresh)

    def summary(self) -> str:
        """ "12 changed, 1 skipped: #123 was changed by Sam a minute ago." """
        parts = [f"{len(self.changed)} changed"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} already so")
        text = ", ".join(parts)
        if self.skipped:
            text += f", {len(self.skipped)} skipped: " + "; ".join(why for _n, why in self.skipped)
        return text + "."


def parse_picks(values: Sequence[str]) -> list[tuple[int, int | None]]:
    """``"<id>:<version>"`` strings from the rows' checkboxes (a bare id skips the version check)."""
    picks: dict[int, int | None] = {}
    for raw in values:
        pk, _, version = str(raw).partition(":")
        if pk.isascii() and pk.isdigit() and len(pk) < 12:
            ok = version.isascii() and version.isdigit() and len(version) < 12
            picks[int(pk)] = int(version) if ok else None
    return list(picks.items())[:MAX_ROWS]


def run_bulk(
    action: BulkAction, by: Any, picks: Sequence[tuple[int, int | None]], params: Mapping[str, Any]
) -> BulkReport:
    """1. read the picked tickets in one query; 2. per row: the permission gate, the cheap version check
    against what was just read, then ``action.apply`` in a savepoint (the service locks the row and checks
    the version again, so a concurrent edit still loses cleanly); 3. the report."""
    from tickets.bulk import triage_gate

    report = BulkReport()
    found = Ticket.objects.select_related("organization", "requester").prefetch_related("tags")
    tickets = {t.pk: t for t in found.filter(pk__in=[pk for pk, _v in picks])}
    may_triage = triage_gate(by)
    for pk, version in picks:
        ticket = tickets.get(pk)
        if ticket is None:
            continue
        report.ids.append(pk)
        why = _forbidden(action, by, ticket, may_triage)
        if why is None and version is not None and version != ticket.version:
            why = changed_by(ticket)
        if why is not None:
            report.skipped.append((ticket.number, why))
            continue
        try:
            with transaction.atomic():
                done = action.apply(ticket, by, params, version)
        except StaleTicket:
            report.skipped.append((ticket.number, changed_by(ticket)))
        except TicketError as exc:
            report.skipped.append((ticket.number, f"#{ticket.number}: {exc}"))
        else:
            (report.changed if done is not False else report.unchanged).append(ticket.number)
    return report


def _forbidden(action: BulkAction, by: Any, ticket: Ticket, may_triage: bool) -> str | None:
    """Why this person may not run this action on this ticket (None: go ahead)."""
    from tickets.models import Tier

    if ticket.merged_into_id:
        return f"#{ticket.number} was merged into another ticket"
    if ticket.spam_at is not None and not action.on_spam:
        return f"#{ticket.number} is marked as spam"
    if ticket.tier == Tier.TRIAGE:
        if not action.in_triage:
            return f"#{ticket.number} is waiting for triage: a triage lead decides it first"
        if not may_triage:
            return f"#{ticket.number} is waiting for triage: only a triage lead can change it now"
    if action.forbid is not None:
        return action.forbid(by, ticket)
    return None


def changed_by(ticket: Ticket) -> str:
    """ "#123 was changed by Sam a minute ago" from the ticket's latest event."""
    last = TicketEvent.objects.filter(ticket_id=ticket.pk).select_related("actor").order_by("-id").first()
    if last is None:
        return f"#{ticket.number} was changed since the page was shown"
    who = display_name(last.actor) if last.actor_id else "the system"
    ago = timesince(last.at, timezone.now()).split(",")[0]
    return f"#{ticket.number} was changed by {who} {ago} ago"

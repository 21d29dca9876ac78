"""The building blocks every ticket write uses: lock the row, record the event, bump the version; and
opening a ticket (it lands in the triage queue)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from helpdesk.batch import update_rows
from tickets import fragments, signals
from tickets.errors import InvalidInput, StaleTicket
from tickets.models import Contact, Counter, Message, Priority, Ticket, TicketEvent, Tier

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def lock(ticket: Ticket | int, expected_version: int | None = None) -> Ticket:
    """Re-read the ticket with its row locked (call inside ``transaction.atomic``)."""
    pk = ticket if isinstance(ticket, int) else ticket.pk
    locked = (
        Ticket.objects.select_for_update(of=("self",)).select_related("organization", "requester").get(pk=pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleTicket()
    return locked


def record(ticket: Ticket, verb: str, by: User | None = None, /, **data: Any) -> TicketEvent:
    return record_many([(ticket, verb, by, data)])[0]


def record_many(items: Sequence[tuple[Ticket, str, User | None, dict[str, Any]]]) -> list[TicketEvent]:
    """One INSERT for every ``(ticket, verb, by, data)`` event, then one ``events_recorded`` for the batch
    (``record`` is a batch of one)."""
    events = TicketEvent.objects.bulk_create(
        [
            TicketEvent(ticket=ticket, actor=by if is_user(by) else None, verb=verb, data=data)
            for ticket, verb, by, data in items
        ]
    )
    folded = _folding.get()
    if folded is not None:  # inside a status move: its tickets' fragments are retired once, at its end
        folded.events.update(((ticket.pk, verb), ticket) for ticket, verb, *_ in items)
    else:
        fragments.tickets_written([(ticket, verb) for ticket, verb, *_ in items])
    if events:
        recorded = [
            (ticket, by, event) for (ticket, _verb, by, _data), event in zip(items, events, strict=True)
        ]
        signals.events_recorded.send(Ticket, recorded=recorded)
    return events


def is_user(by: User | None) -> bool:
    """Whether the actor is a signed-in person (jobs and requesters act as ``None``)."""
    return by is not None and getattr(by, "is_authenticated", False)


def save_fields(ticket: Ticket, *fields: str) -> None:
    """Save ``fields`` with the version bumped (the optimistic lock the screens check)."""
    save_many([ticket], *fields)


def save_many(tickets: Sequence[Ticket], *fields: str) -> None:
    """``save_fields`` for locked tickets at once: one UPDATE with the version bumped in SQL (a receiver
    may have bumped it meanwhile) returning the new versions."""
    now = timezone.now()
    for ticket in tickets:
        ticket.updated_at = now
    versions = update_rows(tickets, [*fields, "updated_at"], bump="version")
    for ticket in tickets:
        ticket.version = versions[ticket.pk]


class _Folded:
    """What the receivers of one status move left for its UPDATE: ticket fields, events' tickets."""

    def __init__(self) -> None:
        self.values: dict[int, tuple[Ticket, dict[str, Any]]] = {}
        self.events: dict[tuple[int, str], Ticket] = {}  # (ticket, verb) → the ticket


_folding: ContextVar[_Folded | None] = ContextVar("tickets_folded_writes", default=None)


def write_unversioned(tickets: Sequence[Ticket], fields: Sequence[Mapping[str, Any]]) -> None:
    """A receiver's write of the (locked) tickets' own fields that do not bump the version — the SLA
    deadlines and band, a commitment — each ticket its values, mirrored onto the instances. Inside a status
    move (:func:`one_write`) they go into the move's own UPDATE, so the row is written once; otherwise one
    statement now per set of fields."""
    folded = _folding.get()
    groups: dict[tuple[str, ...], list[Ticket]] = {}
    for ticket, values in zip(tickets, fields, strict=True):
        for name, value in values.items():
            setattr(ticket, name, value)
        if folded is not None:
            folded.values.setdefault(ticket.pk, (ticket, {}))[1].update(values)
        elif values:
            groups.setdefault(tuple(values), []).append(ticket)
    for names, group in groups.items():
        update_rows(group, names, bump=None)


@contextmanager
def one_write(tickets: Sequence[Ticket], *fields: str) -> Iterator[None]:
    """Write ``fields`` of the locked ``tickets`` when the block ends, with everything the receivers called
    in it wrote through :func:`write_unversioned`: ONE UPDATE of each ticket row (per set of fields, the
    version bumped once), and their workspace fragments retired once for every event recorded in it. On an
    exception nothing is written (the caller's transaction rolls back)."""
    folded = _Folded()
    token = _folding.set(folded)
    try:
        yield
    finally:
        _folding.reset(token)
    groups: dict[tuple[str, ...], list[Ticket]] = {}
    for ticket in tickets:
        _instance, values = folded.values.pop(ticket.pk, (ticket, {}))
        for name, value in values.items():  # a receiver may have written another instance of it
            setattr(ticket, name, value)
        groups.setdefault(tuple(dict.fromkeys([*fields, *values])), []).append(ticket)
    for names, group in groups.items():
        save_many(group, *names)
    for instance, values in folded.values.values():  # other tickets a receiver wrote: now, as usual
        write_unversioned([instance], [values])
    if folded.events:
        fragments.tickets_written((ticket, verb) for (_pk, verb), ticket in folded.events.items())


def next_number(name: str = "ticket") -> int:
    """The next value of a named sequence; the UPDATE holds the row lock until commit."""
    with transaction.atomic():
        Counter.objects.get_or_create(name=name)
        Counter.objects.filter(name=name).update(value=F("value") + 1)
        return Counter.objects.get(name=name).value


def open_ticket(
    requester: Contact,
    subject: str,
    body: str,
    *,
    kind: str = "question",
    priority: str = Priority.NORMAL,
    by: User | None = None,
    follow_up_of: Ticket | None = None,
    split_from: Ticket | None = None,
) -> Ticket:
    """A new ticket lands in the triage queue (tier = triage, no agent), Open."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise InvalidInput("A ticket needs a subject.", field="subject")
    if not body:
        raise InvalidInput("A ticket needs a description.", field="body")
    if priority not in Priority.values:
        raise InvalidInput(f"Unknown priority {priority!r}.", field="priority")
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            number=next_number(),
            subject=subject[:200],
            requester=requester,
            organization_id=requester.organization_id,
            kind=kind,
            priority=priority,
            tier=Tier.TRIAGE,
            status_changed_at=now,
            tier_entered_at=now,
            follow_up_of=follow_up_of,
            split_from=split_from,
        )
        Message.objects.create(
            ticket=ticket,
            author_contact=None if is_user(by) else requester,
            author_user=by if is_user(by) else None,
            body=body,
        )
        record(
            ticket,
            "created",
            by,
            tier=Tier.TRIAGE,
            follow_up_of=getattr(follow_up_of, "number", None),
            split_from=getattr(split_from, "number", None),
        )
        signals.ticket_created.send(Ticket, ticket=ticket, at=now, by=by)
    return ticket

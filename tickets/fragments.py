"""Rendered pieces of the ticket workspace kept in the shared cache (issue #20 §1).

A fragment is keyed on what it shows, so a hit is what a fresh render would produce:

* the ticket's ``version`` (every change of the ticket row bumps it, in the same transaction);
* the ticket's **generation**: a token in the cache replaced, after commit, whenever a row that belongs to
  the ticket and is shown in the workspace changes without touching the ticket row (a message's file, a
  side conversation's reply, a known-issue link, an on-call page, a follower…). ``helpdesk/wiring.py``
  lists those models and calls :func:`changed`;
* its **messages** and **events** generations, replaced when a message (:func:`messages_written`) or an
  event (:func:`tickets_written`) of the ticket is written. The conversation is keyed on the generation and
  the messages only, not on the version: a status change, an assignment or a tag keeps it;
* a panel that lists the ticket fields it shows (``Panel.reads``; it shows no other ticket) is keyed on
  their values (and the messages generation when it lists ``MESSAGES``; a callable listed there is
  called with the ticket and the time and keyed on what it returns: a panel whose only dependence on the
  time is a rule's verdict — "a transition comment is due" — is keyed on the verdict, not the minute)
  instead of the version and the events, and on the minute unless it is steady: a reply or a status change
  re-renders only the panels that show what changed. The ``version`` its forms carry is stored as a
  placeholder and filled in on the way out, like the CSRF token;
* for the side panels and the requester card, also the **viewer** (they show the person's own buttons
  and forms) and the **rows generation**, replaced whenever a row they show that belongs to no one ticket
  changes (a known issue, an article, a rota, a team, a person, a playbook setting). A panel that shows
  time or other tickets (a time box's elapsed minutes, who is on call now, the requester's other tickets,
  likely duplicates) is also keyed on the **minute** and on the **generations of the requester and the
  organization**, replaced by every event of any of their tickets (a status, a subject, a new ticket
  shows in the requester card and the duplicates); a panel showing tickets of anyone (linked tickets,
  ``Panel.any_ticket``) on the **tickets generation** instead, replaced by every ticket event anywhere —
  unless this render shows none (``Panel.alone``: a ticket without links), then it is kept on the
  ticket's own rows until they change (a new link retires the ticket's generation); a
  *steady* panel (``Panel.steady`` in ``helpdesk/workspace.py``: it shows neither) is not, so a busy
  helpdesk does not re-render it on every change of another ticket;
* the properties section: like a steady panel reading the owner, tier, status and priority
  (``PROPERTY_READS``; the staff list it offers is people, a shared row); the requester card like a
  panel reading what it shows of the ticket (``REQUESTER_READS``) that also shows time and other tickets
  (the requester's only: keyed on the requester's generation, not the organization's).
  A panel listing ``reads`` but not steady is keyed on those values, the minute and the other tickets'
  generations (not on the version): this ticket's own reply re-renders neither.

The conversation and the history show neither time nor shared rows, so they are shared by all staff
viewing the same version. A miss renders and stores; nothing is cached for a page showing a bound form
(errors must show). CSRF tokens never enter the cache: fragments are rendered with a placeholder that is
replaced by the viewer's token on the way out. When the cache is down every lookup misses (the page renders
as before). Entries expire after ``TTL`` seconds, which also bounds a generation bump lost in an outage.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from django.core.cache import cache
from django.db import transaction

TTL = 600
# A conversation item is keyed on a digest of everything it shows (``message_format.conversation_items``):
# it never goes stale, so it is kept longer — an agent coming back to a long ticket within the hour reads
# its messages from the cache instead of rendering each again.
MESSAGE_TTL = 3600
CSRF_PLACEHOLDER = "wsfragmentcsrf0000placeholder"
VERSION_PLACEHOLDER = "wsfragmentversion0placeholder"
SHARED = ("conversation", "history", "seen")  # the same for every member of staff
# What the properties section shows of the ticket row (with its tags and followers: the ticket's rows).
PROPERTY_READS = ("assignee_id", "tier", "status", "priority")
# What the requester card shows of it (besides the requester's other tickets, and the time).
REQUESTER_READS = ("requester_id", "organization_id", "last_requester_reply_at")
REQUESTER_ONLY = ("requester",)  # shows the requester's other tickets, none of the rest of the organization
ROWS_GEN = "ws:gen:rows"  # rows shown by every ticket's panels: known issues, articles, rotas, people …
TICKETS_GEN = "ws:gen:tickets"  # any ticket anywhere: every ticket event, tickets saved one by one
ALONE = "#alone"  # the key of a panel's render that shows no other ticket (``Panel.alone``)
# In ``Panel.reads``: the panel shows the conversation (keyed on its generation, not on the version).
MESSAGES = "messages"


def _gen_key(ticket_id: int) -> str:
    return f"ws:gen:{ticket_id}"


def _events_key(ticket_id: int) -> str:
    """The ticket's history generation: an event was written (a panel keyed on the fields it reads and the
    conversation do not show the history, so they ignore this one)."""
    return f"ws:ev:{ticket_id}"


def _messages_key(ticket_id: int) -> str:
    """The ticket's conversation generation: a message was written, changed or removed."""
    return f"ws:msg:{ticket_id}"


def changed(ticket_ids: Iterable[int | None]) -> None:
    """The tickets' fragments are out of date: a new generation now (so a test's transaction, which never
    commits, sees it) and again after commit (a page rendered meanwhile read the rows before the change)."""
    _bump({_gen_key(pk) for pk in ticket_ids if pk})


SET_AT_MOST = 16  # a person's change sets its few new tokens; a sweep's chunk deletes its thousands


def _bump(keys: set[str]) -> None:
    """New generations for ``keys``. A few (a person's change) get new tokens, so the next view reads
    them as they are; more (a sweep's chunk of 2,000 tickets) are deleted in one command, and the next
    reader of each draws a fresh token (:func:`_generations`) — no token made for tickets nobody opens."""
    if not keys:
        return

    def bump() -> None:
        if len(keys) <= SET_AT_MOST:
            cache.set_many({key: secrets.token_hex(4) for key in keys}, TTL)
        else:
            cache.delete_many(list(keys))

    bump()
    transaction.on_commit(bump)


def shared_changed(*args: Any, **kwargs: Any) -> None:
    """Receiver: a row the panels show changed that belongs to no one ticket (listed in wiring.py)."""
    _bump({ROWS_GEN})


def _people_key(kind: str, pk: int) -> str:
    return f"ws:gen:{kind}:{pk}"


def _people_keys(tickets: Iterable[Any]) -> set[str]:
    """The requester and organization generations of these tickets (a ticket whose requester column was
    not loaded is looked up: one query for all of them)."""
    pairs, unloaded = set(), []
    for ticket in tickets:
        if "requester_id" in ticket.__dict__ and "organization_id" in ticket.__dict__:
            pairs.add((ticket.requester_id, ticket.organization_id))
        else:
            unloaded.append(ticket.pk)
    if unloaded:
        from .models import Ticket

        pairs.update(Ticket.objects.filter(pk__in=unloaded).values_list("requester_id", "organization_id"))
    keys = {_people_key("req", requester) for requester, _org in pairs if requester}
    return keys | {_people_key("org", org) for _requester, org in pairs if org}


def tickets_changed(sender: Any = None, instance: Any = None, **kwargs: Any) -> None:
    """Receiver: a ticket or clock saved one by one (admin, imports, fixtures): other tickets' panels and
    the dashboard (the services write with UPDATEs that record an event: :func:`tickets_written`)."""
    from .models import Ticket

    _bump({TICKETS_GEN, *(_people_keys([instance]) if isinstance(instance, Ticket) else ())})


# Events that change nothing the requester card or the likely duplicates of another ticket show of this
# one (its number, subject and status; the card's order by last update may lag by the minute it is kept).
QUIET_VERBS = frozenset({"replied", "note_added"})


def tickets_written(events: Iterable[tuple[Any, str]]) -> None:
    """Every ticket event (``services.record_many``; ``events``: (ticket, verb)): those tickets' histories;
    unless the verb is quiet, the panels of the other tickets of the same requester or organization
    (requester card, likely duplicates: a status, a subject, a new ticket shows there); linked tickets'
    panels and the dashboard (the tickets generation)."""
    events = list(events)
    shown = _people_keys(ticket for ticket, verb in events if verb not in QUIET_VERBS)
    _bump({*(_events_key(ticket.pk) for ticket, _verb in events), *shown, TICKETS_GEN})


def events_written(ticket_ids: Iterable[int]) -> None:
    """Events that change nothing another ticket's requester card or duplicates show (an SLA band): those
    tickets' histories, and linked tickets' panels and the dashboard."""
    _bump({*(_events_key(pk) for pk in ticket_ids), TICKETS_GEN})


def on_ticket_event(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` of a TicketEvent written one by one (``record_many`` calls :func:`tickets_written`)."""
    from .models import Ticket

    tickets_written([(Ticket(pk=instance.ticket_id), instance.verb)])  # its requester is looked up


def ticket_ids_of(row: Any) -> list[int | None]:
    """The tickets a changed row belongs to, by its ticket columns (links have two)."""
    return [getattr(row, name, None) for name in ("ticket_id", "from_ticket_id", "to_ticket_id")]


def on_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` / ``post_delete`` receiver for the rows the workspace shows (listed in wiring.py)."""
    changed(ticket_ids_of(instance))


def messages_written(ticket_ids: Iterable[int | None]) -> None:
    """Messages of these tickets were written, changed or moved without a signal (``bulk_create``,
    ``update``): their conversations moved on. Every such write calls it (the signal covers the rest)."""
    _bump({_messages_key(pk) for pk in ticket_ids if pk})


def on_message_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` / ``post_delete`` of a message: its ticket's conversation generation."""
    messages_written([instance.ticket_id])


def on_attachment_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.message_id:
        from .models import Message

        changed(Message.objects.filter(pk=instance.message_id).values_list("ticket_id", flat=True))


def on_ticket_m2m_changed(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    """Followers, tags, CCs: from the ticket's side (``ticket.followers.add``) or the other's."""
    if action.startswith("post_"):
        from .models import Ticket

        changed([instance.pk] if isinstance(instance, Ticket) else (pk_set or ()))


def _generations(*keys: str) -> list[str]:
    """The current tokens (one round trip); a missing one is created, so older fragments are unreachable."""
    found = cache.get_many(list(keys))
    for key in keys:
        if key not in found:
            token = secrets.token_hex(4)
            found[key] = token if cache.add(key, token, TTL) else (cache.get(key) or token)
    return [str(found[key]) for key in keys]


class _Cached:
    """One page's view of the cache: every fragment it may show (``keys``: name → cache key) read in one
    round trip up front, the misses stored together once the page is rendered."""

    version: str | None = None  # the ticket's, for a page of one ticket (render_into)

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys
        self.found: dict[str, str] = cache.get_many(list(keys.values()))
        self.fresh: dict[str, str] = {}
        self.alone: set[str] = set()

    def get(self, name: str) -> str | None:
        alone = self.found.get(self.keys.get(f"{name}{ALONE}", ""))
        return alone if alone is not None else self.found.get(self.keys.get(name, ""))

    def missing(self, names: Iterable[str]) -> bool:
        """Whether any of ``names`` has to be rendered afresh (so its rows have to be read)."""
        return any(self.get(name) is None for name in names)

    def keep_alone(self, name: str) -> None:
        """This render of ``name`` shows no other ticket: store it under its ``alone`` key."""
        self.alone.add(name)

    def put(self, name: str, value: str) -> None:
        key = self.keys.get(f"{name}{ALONE}" if name in self.alone else name)
        if key is not None:
            self.found[key] = self.fresh[key] = value

    def flush(self) -> None:
        """Store what this page rendered afresh, in one round trip (called once the page is rendered)."""
        if self.fresh:
            cache.set_many(self.fresh, TTL)
            self.fresh = {}


class Fragments(_Cached):
    """The workspace's fragments of one ticket, for one viewer (the key rules above). ``reads``: steady
    panels keyed on the values of the ticket fields they show instead of the version (``Panel.reads``)."""

    def __init__(
        self,
        ticket: Any,
        user: Any,
        now: dt.datetime,
        names: Iterable[str],
        steady: Iterable[str] = (),
        reads: Mapping[str, tuple[Any, ...]] | None = None,
        alone: Iterable[str] = (),
        any_ticket: Iterable[str] = (),
    ) -> None:
        pk = ticket.pk
        requester, org = ticket.requester_id, ticket.organization_id
        gen, messages, events, rows, tickets, req_gen, org_gen = _generations(
            _gen_key(pk),
            _messages_key(pk),
            _events_key(pk),
            ROWS_GEN,
            TICKETS_GEN,
            _people_key("req", requester or 0),
            _people_key("org", org or 0),
        )
        # The tickets of the same requester and organization; the requester card lists only the
        # requester's (REQUESTER_ONLY), so another ticket of the organization does not retire it.
        others = f"{req_gen}.{org_gen}"
        base = f"ws:{pk}:{ticket.version}:{gen}:{messages}:{events}"
        minute = int(now.timestamp() // 60)
        own = f"{base}:{user.pk}:{minute}"
        steady, reads, any_ticket = set(steady), reads or {}, set(any_ticket)

        def other_tickets(name: str) -> str:
            return tickets if name in any_ticket else req_gen if name in REQUESTER_ONLY else others

        def key(name: str) -> str:
            if name == "conversation":  # the messages and their files, nothing of the ticket row
                scope = f"ws:{pk}:conversation:{gen}:{messages}"
            elif name in SHARED:
                scope = base
            elif name in reads:
                shown = tuple(_shown(field, ticket, now, messages) for field in reads[name])
                scope = f"ws:{pk}:r{_digest(shown)}:{gen}:{user.pk}:{rows}"
                if name not in steady:  # it shows time and other tickets too
                    scope += f":{minute}:{other_tickets(name)}"
            elif name in steady:
                scope = f"{base}:{user.pk}:{rows}"
            else:
                scope = f"{own}:{rows}:{other_tickets(name)}"
            return f"{scope}:{name}"

        keys = {name: key(name) for name in (*SHARED, *names)}
        # A render showing no other ticket (``Panel.alone``): kept on the ticket's own rows only.
        keys.update({f"{name}{ALONE}": f"ws:{pk}:alone:{gen}:{user.pk}:{rows}:{name}" for name in alone})
        super().__init__(keys)
        self.version = str(ticket.version)


def _shown(field: Any, ticket: Any, now: dt.datetime, messages: str) -> Any:
    """One entry of ``Panel.reads`` as the key sees it: a field's value, the messages generation, or what a
    rule (a callable of the ticket and the time) says now."""
    if field == MESSAGES:
        return messages
    value = field(ticket, now) if callable(field) else getattr(ticket, field)
    return value.value if isinstance(value, Enum) else value  # a choice just saved reads as its enum


def _digest(values: tuple[Any, ...]) -> str:
    """A short digest of what a panel shows of the ticket."""
    return hashlib.blake2b(repr(values).encode(), digest_size=6).hexdigest()


class SharedFragments(_Cached):
    """Fragments of a page that shows no one ticket but many (the managers' dashboard): keyed on ``scope``
    (e.g. the page's filters), both shared generations (every ticket event, every shared row) and the minute
    (the page shows "as of 14:05", ages, this week's breaches)."""

    def __init__(self, scope: str, now: dt.datetime, names: Iterable[str]) -> None:
        rows, tickets = _generations(ROWS_GEN, TICKETS_GEN)
        base = f"frag:{scope}:{rows}:{tickets}:{int(now.timestamp() // 60)}"
        super().__init__({name: f"{base}:{name}" for name in names})


def render_page(request: Any, template_name: str, context: dict[str, Any], status: int = 200) -> Any:
    """``django.shortcuts.render`` for a page with fragments: stores the misses once it is rendered."""
    from django.shortcuts import render

    response = render(request, template_name, context, status=status)
    if context.get("fragments") is not None:
        context["fragments"].flush()
    return response


def render_into(fragments: _Cached | None, name: str, context: Any, render: Any) -> str:
    """``render(context)`` through the cache: a hit skips it (and the queries its lazy data would run).
    Stored with placeholders for the viewer's CSRF token and the ticket's version (the value of its forms'
    ``version`` fields: a panel keyed on the fields it reads outlives the version it was rendered at)."""
    if fragments is None:
        return render(context)
    token = str(context.get("csrf_token") or "")
    version = fragments.version
    html = fragments.get(name)
    if html is None:
        with context.push(csrf_token=CSRF_PLACEHOLDER):
            html = str(render(context))
        if version is not None:
            html = html.replace(_version_field(version), _version_field(VERSION_PLACEHOLDER))
        fragments.put(name, html)
    html = html.replace(CSRF_PLACEHOLDER, token)
    return (
        html
        if version is None
        else html.replace(_version_field(VERSION_PLACEHOLDER), _version_field(version))
    )


def _version_field(value: str) -> str:
    """How a form's ``version`` field reads in HTML (Django's hidden input and the templates' own)."""
    return f'name="version" value="{value}"'

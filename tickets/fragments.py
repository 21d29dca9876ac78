"""Rendered pieces of the ticket workspace kept in the shared cache (issue #20 §1).

A fragment is keyed on what it shows, so a hit is what a fresh render would produce:

* the ticket's ``version`` (every change of the ticket row bumps it, in the same transaction);
* the ticket's **generation**: a token in the cache replaced, after commit, whenever a row that belongs to
  the ticket and is shown in the workspace changes without touching the ticket row (a message's file, a
  side conversation's reply, a known-issue link, an on-call page, a follower…). ``helpdesk/wiring.py``
  lists those models and calls :func:`changed`;
* for the side panels, also the **viewer** (they show the person's own buttons and forms) and the
  **minute**: they show time (a time box's elapsed minutes, who is on call now) and rows shared by all
  tickets (open known issues, suggested articles, the requester's other tickets), which so reach the
  panel within a minute.

The conversation and the history show neither time nor shared rows, so they are shared by all staff
viewing the same version. A miss renders and stores; nothing is cached for a page showing a bound form
(errors must show). CSRF tokens never enter the cache: fragments are rendered with a placeholder that is
replaced by the viewer's token on the way out. When the cache is down every lookup misses (the page renders
as before). Entries expire after ``TTL`` seconds, which also bounds a generation bump lost in an outage.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

TTL = 600
CSRF_PLACEHOLDER = "wsfragmentcsrf0000placeholder"
SHARED = ("conversation", "history", "seen")  # the same for every member of staff


def _gen_key(ticket_id: int) -> str:
    return f"ws:gen:{ticket_id}"


def changed(ticket_ids: Iterable[int | None]) -> None:
    """The tickets' fragments are out of date: a new generation now (so a test's transaction, which never
    commits, sees it) and again after commit (a page rendered meanwhile read the rows before the change)."""
    ids = {pk for pk in ticket_ids if pk}
    if not ids:
        return

    def bump() -> None:
        cache.set_many({_gen_key(pk): secrets.token_hex(4) for pk in ids}, TTL)

    bump()
    transaction.on_commit(bump)


def ticket_ids_of(row: Any) -> list[int | None]:
    """The tickets a changed row belongs to, by its ticket columns (links have two)."""
    return [getattr(row, name, None) for name in ("ticket_id", "from_ticket_id", "to_ticket_id")]


def on_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` / ``post_delete`` receiver for the rows the workspace shows (listed in wiring.py)."""
    changed(ticket_ids_of(instance))


def on_attachment_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.message_id:
        from .models import Message

        changed(Message.objects.filter(pk=instance.message_id).values_list("ticket_id", flat=True))


def on_ticket_m2m_changed(sender: Any, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    """Followers, tags, CCs: from the ticket's side (``ticket.followers.add``) or the other's."""
    if action.startswith("post_"):
        from .models import Ticket

        changed([instance.pk] if isinstance(instance, Ticket) else (pk_set or ()))


def _generation(ticket_id: int) -> str:
    key = _gen_key(ticket_id)
    found = cache.get(key)
    if found is None:
        found = secrets.token_hex(4)
        if not cache.add(key, found, TTL):
            found = cache.get(key) or found
    return str(found)


class Fragments:
    """One page's view of the cache: every fragment it may show is read in one round trip up front."""

    def __init__(self, ticket: Any, user: Any, now: dt.datetime, names: Iterable[str]) -> None:
        gen = _generation(ticket.pk)
        base = f"ws:{ticket.pk}:{ticket.version}:{gen}"
        minute = int(now.timestamp() // 60)
        self.keys = {
            name: base if name in SHARED else f"{base}:{user.pk}:{minute}" for name in (*SHARED, *names)
        }
        self.keys = {name: f"{key}:{name}" for name, key in self.keys.items()}
        self.found: dict[str, str] = cache.get_many(list(self.keys.values()))
        self.fresh: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.found.get(self.keys.get(name, ""))

    def missing(self, names: Iterable[str]) -> bool:
        """Whether any of ``names`` has to be rendered afresh (so its rows have to be read)."""
        return any(self.get(name) is None for name in names)

    def put(self, name: str, value: str) -> None:
        key = self.keys.get(name)
        if key is not None:
            self.found[key] = self.fresh[key] = value

    def flush(self) -> None:
        """Store what this page rendered afresh, in one round trip (called once the page is rendered)."""
        if self.fresh:
            cache.set_many(self.fresh, TTL)
            self.fresh = {}


def render_page(request: Any, template_name: str, context: dict[str, Any], status: int = 200) -> Any:
    """``django.shortcuts.render`` for a page with fragments: stores the misses once it is rendered."""
    from django.shortcuts import render

    response = render(request, template_name, context, status=status)
    if context.get("fragments") is not None:
        context["fragments"].flush()
    return response


def render_into(fragments: Fragments | None, name: str, context: Any, render: Any) -> str:
    """``render(context)`` through the cache: a hit skips it (and the queries its lazy data would run)."""
    token = str(context.get("csrf_token") or "")
    if fragments is not None:
        found = fragments.get(name)
        if found is not None:
            return found.replace(CSRF_PLACEHOLDER, token)
    if fragments is None:
        return render(context)
    with context.push(csrf_token=CSRF_PLACEHOLDER):
        html = str(render(context))
    fragments.put(name, html)
    return html.replace(CSRF_PLACEHOLDER, token)

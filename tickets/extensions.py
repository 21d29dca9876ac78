"""What the ticket workspace lets other apps add, without ``tickets`` importing them.

``tickets`` only defines the shapes; ``helpdesk/workspace.py`` lists what the project puts in them (the
escalation, triage and SLA panels, the "next update by" reply field, the SLA column's business time left,
the agent's rota tiers) and ``helpdesk/apps.py`` installs that list once at startup with :func:`install`.
Tickets' views and services read it back with :func:`current`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

    from .bulk import BulkAction
    from .models import Ticket


class ReplyApply(Protocol):
    """Called by :func:`tickets.services.send_reply` after the reply is written, in the same transaction:
    a :class:`~tickets.errors.TicketError` it raises undoes the reply and is shown to the sender."""

    def __call__(self, ticket: Ticket, by: User, data: Mapping[str, Any], *, internal: bool) -> None: ...


@dataclass(frozen=True)
class Panel:
    """A template included in the workspace's side panel with ``ticket``, ``user`` and ``request``;
    ``context(request, ticket)`` (optional) adds what the template needs, built by the view."""

    template: str
    context: Callable[[HttpRequest, Ticket], dict[str, Any]] | None = None
    # Shows neither time nor other tickets: its cached fragment is kept until this ticket or a shared row
    # changes, not retired by every other ticket's event and every minute (tickets/fragments.py).
    steady: bool = False
    # The ticket fields the panel shows besides its own rows (which retire the ticket's generation); such a
    # panel shows no other ticket. Its fragment is keyed on their values instead of the ticket's version
    # (and, when not steady, on the minute), so a reply or a status change re-renders it only when it shows
    # what changed; the version its forms carry is filled in on the way out. ``None``: keyed on the version.
    # A callable ``(ticket, now) -> value`` stands for a rule the panel applies ("a transition comment is
    # due"): keyed on its verdict, the panel can be steady although the verdict changes with time.
    reads: tuple[str | Callable[[Ticket, dt.datetime], Any], ...] | None = None
    # Given what ``context`` built, whether this render shows no other ticket nor time (the linked tickets
    # panel of a ticket without links): such a render is kept under the ticket's own rows (its generation,
    # which a new link retires) and outlives other tickets' changes.
    alone: Callable[[Mapping[str, Any]], bool] | None = None
    # Shows tickets of any requester (linked tickets): retired by every ticket event anywhere, not only by
    # those of the same requester and organization as the other panels showing other tickets.
    any_ticket: bool = False


@dataclass(frozen=True)
class ReplyExtension:
    """Extra fields inside the reply form (``template``) and what to do with them (``apply``);
    ``context(request, ticket)`` (optional) adds what the template needs, built by the view."""

    template: str
    apply: ReplyApply
    context: Callable[[HttpRequest, Ticket], dict[str, Any]] | None = None


@dataclass(frozen=True)
class ReplyTool:
    """Something offered next to the reply text box (the macro picker): ``template`` is included inside
    the reply form, ``forms`` (optional) right after it — the forms its buttons submit through their
    ``form`` attribute, since forms cannot nest. ``context(request, ticket)`` as for panels."""

    template: str
    forms: str = ""
    context: Callable[[HttpRequest, Ticket], dict[str, Any]] | None = None


def extension_context(workspace: Workspace, request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    """What the reply extensions and reply tools add to the workspace's context (each provider once); the
    panels' providers run only when their panel is rendered (:class:`PanelData`)."""
    items = (*workspace.reply_extensions, *workspace.reply_tools)
    providers = [item.context for item in items if item.context]
    found: dict[str, Any] = {}
    for provide in dict.fromkeys(providers):
        found.update(provide(request, ticket))
    return found


class PanelData:
    """``panel_data(template)`` in the workspace's context: what that panel's provider adds, built on the
    first panel that needs it (a provider listed for several panels — the escalation ones — runs once) and
    never for a panel served from the fragment cache. Values the view was given (bound forms) win."""

    def __init__(self, workspace: Workspace, request: HttpRequest, ticket: Ticket, keep: Mapping) -> None:
        self.request, self.ticket, self.keep = request, ticket, keep
        self.providers = {panel.template: panel.context for panel in workspace.panels}
        self.alone_when = {panel.template: panel.alone for panel in workspace.panels if panel.alone}
        self.built: dict[Any, dict[str, Any]] = {}

    def __call__(self, template: str) -> dict[str, Any]:
        provide = self.providers.get(template)
        if provide is None:
            return {}
        if provide not in self.built:
            data = provide(self.request, self.ticket)
            self.built[provide] = {key: value for key, value in data.items() if key not in self.keep}
        return self.built[provide]

    def alone(self, template: str) -> bool:
        """Whether the panel, as its provider built it, shows no other ticket (``Panel.alone``)."""
        check = self.alone_when.get(template)
        return bool(check and check(self(template)))


@dataclass(frozen=True)
class Workspace:
    panels: tuple[Panel, ...] = ()
    reply_extensions: tuple[ReplyExtension, ...] = ()
    reply_tools: tuple[ReplyTool, ...] = ()
    # time_left(rows, now) may replace ``row.sla_text`` of decorated rows (queue, My work, workspace).
    time_left: Callable[[Sequence[Any], dt.datetime], None] | None = None
    # my_tiers(user): the tiers the person is on the rota for today, in tier order.
    my_tiers: Callable[[User], list[str]] | None = None
    # The queues' bulk bar, in order (tickets/bulk.py defines the shape and the core actions).
    bulk_actions: tuple[BulkAction, ...] = ()
    # message_files(message): what another app shows under a message in the conversation (its files).
    message_files: Callable[[Any], str] | None = None


_installed = Workspace()


def install(workspace: Workspace) -> None:
    """Called once from ``helpdesk.apps.HelpdeskConfig.ready`` (and by tests that need a different list)."""
    global _installed
    _installed = workspace


def current() -> Workspace:
    return _installed


def apply_time_left(rows: Sequence[Any], now: dt.datetime) -> None:
    if _installed.time_left is not None:
        _installed.time_left(rows, now)


def bulk_actions(user: Any) -> list[BulkAction]:
    """The bulk actions ``user`` may run, in the bar's order."""
    return [action for action in _installed.bulk_actions if action.allowed_for(user)]


def bulk_action(key: str) -> BulkAction | None:
    return next((action for action in _installed.bulk_actions if action.key == key), None)


def message_files(message: Any) -> str:
    return _installed.message_files(message) if _installed.message_files is not None else ""


def my_tiers(user: User) -> list[str]:
    return _installed.my_tiers(user) if _installed.my_tiers is not None else []

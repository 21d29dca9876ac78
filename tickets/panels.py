"""Extension point of the ticket workspace: other apps add side panels (escalate, split, known issue,
commitment …) by calling ``register_panel("<app>/panels/<name>.html")`` in their ``AppConfig.ready()``.
Each panel template is included with ``ticket``, ``user`` and ``request`` in its context. Likewise
``register_reply_extension`` adds fields to the reply form (e.g. the SLA app's "next update by")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

log = logging.getLogger(__name__)

PANELS: list[str] = []


def register_panel(template_name: str) -> None:
    """Add a template to every workspace's side panel (idempotent: registering twice adds it once)."""
    if template_name not in PANELS:
        PANELS.append(template_name)


def workspace_panels() -> list[str]:
    """The registered panels that exist; a missing template is logged and left out, never a 500."""
    return [name for name in PANELS if _exists(name)]


# --- reply extensions: extra fields in the reply form, applied in the reply's own transaction -------------

ReplyApply = Callable[..., None]
REPLY_EXTENSIONS: dict[str, ReplyApply] = {}


def register_reply_extension(template_name: str, apply: ReplyApply) -> None:
    """Add fields (``template_name``, included inside the reply form with ``ticket`` and ``request``) and
    ``apply(ticket, by, data, *, internal)``, called after the reply is written, in the same transaction:
    a :class:`~tickets.errors.TicketError` it raises undoes the reply and is shown on the form."""
    REPLY_EXTENSIONS[template_name] = apply


def reply_extension_templates() -> list[str]:
    return [name for name in REPLY_EXTENSIONS if _exists(name)]


def apply_reply_extensions(ticket: Any, by: Any, data: Any, *, internal: bool) -> None:
    for name, apply in REPLY_EXTENSIONS.items():
        if _exists(name):
            apply(ticket, by, data, internal=internal)


def _exists(template_name: str) -> bool:
    try:
        get_template(template_name)
    except TemplateDoesNotExist:
        log.warning("workspace extension %s is registered but its template does not exist", template_name)
        return False
    return True


# --- SLA time left: the SLA app turns stored deadlines into business time left --------------------------

TIME_LEFT: list[Callable[..., None]] = []


def register_time_left(fn: Callable[..., None]) -> None:
    """``fn(rows, now)`` may replace ``row.sla_text`` of decorated rows (queue, My work, workspace)."""
    if fn not in TIME_LEFT:
        TIME_LEFT.append(fn)


def apply_time_left(rows: list[Any], now: Any) -> None:
    for fn in TIME_LEFT:
        fn(rows, now)


# --- the rota: which tiers a person works this week (the escalation app knows) -------------------------

MY_TIERS: list[Callable[[Any], list[str]]] = []


def register_my_tiers(fn: Callable[[Any], list[str]]) -> None:
    if fn not in MY_TIERS:
        MY_TIERS.append(fn)


def my_tiers(user: Any) -> list[str]:
    """The tiers ``user`` is on the rota for today (empty without a rota)."""
    found: list[str] = []
    for fn in MY_TIERS:
        found += [t for t in fn(user) if t not in found]
    return found

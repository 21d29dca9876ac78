"""Ticket rows of the queue and My work tables, rendered in Python.

The queue is the hottest screen (a page every 30 s per agent). Rendering its 50 rows through the
template engine cost more than all its SQL (~1,000 variable lookups per page); this renders the same
markup with plain string formatting, every value escaped. Markup mirrors the table head in
``templates/tickets/partials/ticket_table_head.html``."""

from __future__ import annotations

import datetime as dt
from datetime import tzinfo
from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from .models import Priority, Status, Tier

_STATUS = dict(Status.choices)
_PRIORITY = dict(Priority.choices)
_TIER = dict(Tier.choices)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


# What a queue page reads per row: plain values, no model instances (building a Ticket, its requester,
# organization and assignee for each of 51 rows was a third of the page's Python time).
QUEUE_FIELDS = (
    "id",
    "number",
    "subject",
    "status",
    "priority",
    "tier",
    "created_at",
    "updated_at",
    "last_requester_reply_at",
    "sla_band",
    "sla_green_until",
    "sla_yellow_until",
    "requester__name",
    "organization_id",
    "organization__name",
    "assignee_id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "version",
)


class QueueRow:
    """One queue row from ``values(*QUEUE_FIELDS)`` (plus any annotation such as ``prio_rank``), with the
    attributes ``selectors.decorate`` and :func:`row_html` read from a Ticket."""

    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)
        self.pk = values["id"]
        self.requester_name = values["requester__name"]
        self.organization_name = values["organization__name"] or ""
        full = f"{values['assignee__first_name'] or ''} {values['assignee__last_name'] or ''}".strip()
        self.assignee_name = (full or values["assignee__username"]) if values["assignee_id"] else ""
        # New for this agent: opened, or written to by the requester, since they last had it open.
        self.unread = False
        if "seen_at" in values:
            activity = max(
                values["created_at"], values.get("last_requester_reply_at") or values["created_at"]
            )
            self.unread = values["seen_at"] is None or values["seen_at"] < activity

    def get_absolute_url(self) -> str:
        return f"/tickets/{self.number}/"


def _cell(labels: dict[str, str], css: str, value: str) -> str:
    """A status/priority badge; known values come pre-escaped, anything else is escaped."""
    found = _BADGES.get((css, value))
    if found is None:
        found = f'<span class="{css} {css}-{_e(value)}">{_e(labels.get(value, value))}</span>'
    return found


def initials(name: str) -> str:
    """Up to two letters for the CSS avatar: first letters of the first and last words."""
    words = [w for w in name.replace(".", " ").replace("_", " ").split() if w[:1].isalnum()]
    if not words:
        return ""
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def relative(when: object, now: object) -> str:
    """ "5 min ago", "3 h ago", "2 d ago"; the exact time goes in the element's ``title``."""
    seconds = max(0, int((now - when).total_seconds()))  # type: ignore[operator]
    if seconds < 60:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"  # pragma: no cover


def _person(name: str) -> str:
    if not name:
        return "—"
    avatar = f'<span class="avatar" aria-hidden="true">{_e(initials(name))}</span>'
    return f'<span class="who-cell">{avatar}<span>{_e(name)}</span></span>'


def row_html(t: object, now: object = None, *, oob: bool = False, tz: tzinfo | None = None) -> SafeString:
    """One ``<tr>``; expects a ticket decorated by ``selectors.decorate``. Its checkbox carries the
    version the row shows, so a bulk action skips a ticket changed since (tickets/services/bulk.py);
    ``oob`` marks it for an HTMX out-of-band swap (the rows a bulk action changed). A list passes the
    current time zone (``tz``) once instead of looking it up per row."""
    n, url = t.number, t.url
    unread = getattr(t, "unread", False)
    mark, new = (_UNREAD, _NEW) if unread else ("", "")
    tags = "".join(f'<span class="tag ki" title="Known issue">{_e(g)}</span>' for g in t.known_issue_tags)
    if t.other_tags:
        tags += "".join(f'<span class="tag">{_e(g)}</span>' for g in t.other_tags)
    org = _e(t.organization_name) if t.organization_id else ""
    updated = t.updated_at.astimezone(tz) if tz is not None else timezone.localtime(t.updated_at)
    subject = _e(t.subject)
    requester = _e(t.requester_name)
    html = (
        f'<tr data-href="{url}" data-number="{n}" id="row-{n}"{mark}{_OOB if oob else ""}>'
        f'<td class="pick"><input type="checkbox" name="ticket" value="{t.pk}:{t.version}" form="bulk-form"'
        f' aria-label="Select #{n}"></td>'
        f'<td class="col-number"><a href="{url}">#{n}</a></td>'
        f'<td class="subject" title="{subject}">{new}<a href="{url}">{subject}</a>{tags}</td>'
        f'<td class="col-requester" title="{requester}">{requester}</td>'
        f'<td class="col-org" title="{org}">{org or "—"}</td>'
        f"<td>{_cell(_STATUS, 'status', t.status)}</td>"
        f"<td>{_cell(_PRIORITY, 'prio', t.priority)}</td>"
        f'<td class="col-tier">{_TIER_HTML.get(t.tier) or _e(t.tier)}</td>'
        f"<td>{_person(t.assignee_name)}</td>"
        f'<td><span class="sla sla-{_e(t.sla_css)}">{_e(t.sla_text)}</span></td>'
        f'<td class="col-updated"><time datetime="{updated.isoformat()}" title="{updated:%a %d %b %Y %H:%M}">'
        f"{relative(updated, now or timezone.now())}</time></td>"
        "</tr>"
    )
    return mark_safe(html)  # noqa: S308 — every interpolated value is escaped (or pre-escaped) above


_OOB = ' hx-swap-oob="true"'
_UNREAD = ' class="unread"'
_NEW = (
    '<span class="new-dot" title="New since you last opened it">'
    '<span class="visually-hidden">New: </span></span>'
)

# Pre-rendered, escaped badges for the known statuses, priorities and tiers (the same markup every row).
_BADGES = {
    (css, value): f'<span class="{css} {css}-{_e(value)}">{_e(label)}</span>'
    for css, labels in (("status", _STATUS), ("prio", _PRIORITY))
    for value, label in labels.items()
}
_TIER_HTML = {value: _e(label) for value, label in _TIER.items()}


def stale_item(t: object, now: dt.datetime) -> str:
    """My work's "No update for a day" item (a list of up to 200, built like the rows)."""
    last = t.last_public_reply_at
    since = f"{timesince(last, now)} ago" if last else "never"
    link = f'<a href="{_e(t.url)}">#{t.number} {_e(t.subject)}</a>'
    return f"<li>{link}\n    — last public update {_e(since)}</li>"


def commitment_item(t: object, tz: tzinfo) -> str:
    """My work's "Commitments due" item."""
    due = t.commitment_due_at.astimezone(tz)
    css, missed = ("sla-red", "<strong>(missed)</strong>") if t.commitment_missed else ("", "")
    return (
        f'<li class="{css}"><a href="{_e(t.url)}">#{t.number} {_e(t.subject)}</a> — next update promised by '
        f'<time datetime="{due.isoformat()}">{due:%a %H:%M}</time> {missed}</li>'
    )

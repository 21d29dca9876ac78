"""The triage queue's compact rows built in Python (issue #20): the markup of
``triage/partials/row_compact.html``, which stays the reference (a test compares the two byte for byte).
Through the template engine a 50-row page cost more than all of its SQL."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timesince import timesince

_TAIL = (
    '  <td class="prio"><span class="prio prio-{}">{}</span>\n    {}</td>\n'
    '  <td class="actions"><a href="{}row/" class="open-row" data-open-row>Decide…</a></td>\n</tr>\n'
)
_UNREVIEWED = (
    '<div class="flag-prio" title="The requester replied after the priority was last reviewed">'
    "Review priority</div>"
)


def compact_row(t: Any) -> SafeString:
    """One row before it is opened (``t``: a row of ``triage.selectors.queue_page``, with its URLs)."""
    created = timezone.localtime(t.created_at) if timezone.is_aware(t.created_at) else t.created_at
    head = format_html(
        '\n<tr id="triage-row-{}" class="triage-row compact{}" tabindex="0" data-number="{}" '
        'data-row-url="{}row/">\n'
        '  <td class="sel"><input type="checkbox" name="tickets" value="{}" form="bulk-form" '
        'aria-label="Select #{}"></td>\n'
        '  <td class="num"><a href="{}">#{}</a>\n    <div class="meta" title="{}">{}</div></td>\n'
        '  <td class="what">\n    <strong class="subject">{}</strong> <span class="badge kind-{}">{}</span>\n'
        '    <div class="preview">{}</div>\n    {}\n  </td>\n',
        t.number,
        " needs-auth" if t.authorisation_blocked else "",
        t.number,
        t.decide_url,
        t.number,
        t.number,
        t.ticket_url,
        t.number,
        date_format(created, "Y-m-d H:i"),
        timesince(t.created_at),
        t.subject,
        t.kind,
        t.get_kind_display(),
        Truncator(t.preview or "").chars(200),
        _known(t.similar_known),
    )
    return mark_safe(
        head
        + _who(t)
        + format_html(  # noqa: S308 — each part built with format_html
            _TAIL,
            t.priority,
            t.get_priority_display(),
            mark_safe(_UNREVIEWED if t.priority_unreviewed else ""),  # noqa: S308 — a literal
            t.decide_url,
        )
    )


def _known(issues: Any) -> SafeString | str:
    if not issues:
        return ""
    links = "; ".join(
        format_html(
            '<a href="/known-issues/{}/">KI-{}</a> {}',
            k["number"],
            k["number"],
            Truncator(k["title"]).chars(50),
        )
        for k in issues  # dicts of the open known issues (number, title)
    )
    return mark_safe(f'<div class="similar meta">Known issue?\n      {links}</div>')  # noqa: S308 — built above


def _who(t: Any) -> str:
    org = escape(t.organization.name) if t.organization else "No organization"
    if t.requester.is_authorised:
        flag = '<span class="auth-ok">Authorised contact</span>\n    '  # the template's line break
    elif t.needs_authorisation:
        flag = '<span class="auth-flag" data-testid="auth-flag">Not an authorised contact</span>'
    else:
        flag = ""
    return (
        f'  <td class="who">{escape(t.requester.name)}\n    <div class="meta">{org}</div>\n'
        f"    {flag}\n  </td>\n"
    )

"""My work's "no update for a day" and "commitments due" items are built with plain string formatting
(like the queue rows): the same markup ``format_html`` made, every value escaped."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from tickets import rows

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
SUBJECTS = ["Printer <b>down</b> & \"urgent\" 'now'", "Plain", "Ünïcödé — ok"]


def _ticket(subject: str, **kw) -> SimpleNamespace:
    return SimpleNamespace(url="/tickets/7/?a=1&b=<2>", number=7, subject=subject, **kw)


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("last", [None, NOW - dt.timedelta(days=3, hours=2)])
def test_stale_item_is_what_format_html_made(subject, last):
    t = _ticket(subject, last_public_reply_at=last)
    since = f"{timesince(last, NOW)} ago" if last else "never"
    expected = format_html(
        '<li><a href="{}">#{} {}</a>\n    — last public update {}</li>', t.url, t.number, t.subject, since
    )
    assert rows.stale_item(t, NOW) == expected


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("missed", [False, True])
def test_commitment_item_is_what_format_html_made(subject, missed):
    t = _ticket(subject, commitment_due_at=NOW, commitment_missed=missed)
    tz = timezone.get_fixed_timezone(60)
    due = NOW.astimezone(tz)
    expected = format_html(
        '<li class="{}"><a href="{}">#{} {}</a> — next update promised by '
        '<time datetime="{}">{}</time> {}</li>',
        "sla-red" if missed else "",
        t.url,
        t.number,
        t.subject,
        due.isoformat(),
        f"{due:%a %H:%M}",
        mark_safe("<strong>(missed)</strong>") if missed else "",  # noqa: S308
    )
    assert rows.commitment_item(t, tz) == expected

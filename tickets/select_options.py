"""HTML helpers for long <select> lists: built in Python because a template loop over hundreds of
organizations costs more than the queue query itself (see bench/README.md)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe


def options(choices: Iterable[tuple[Any, str]], selected: Any = None) -> SafeString:
    """``<option>`` tags for ``choices`` (value, label), every value and label HTML-escaped."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(
        "".join(  # noqa: S308 — every piece is escaped right here
            f'<option value="{escape(str(v))}"{" selected" if str(v) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for v, label in choices
        )
    )


def with_selected(options_html: str, selected: Any) -> SafeString:
    """Mark one option of pre-rendered ``options()`` HTML as selected (the cached org list)."""
    if selected in (None, ""):
        return mark_safe(options_html)  # noqa: S308 — built by options(), already escaped
    needle = f'<option value="{escape(str(selected))}">'
    return mark_safe(options_html.replace(needle, needle[:-1] + " selected>", 1))  # noqa: S308

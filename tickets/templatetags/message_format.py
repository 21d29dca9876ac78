"""``{% load message_format %}``: ``{{ message|message_body }}``, ``{{ text|markdown }}``,
``{% conversation_items messages %}``."""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tickets import extensions, formatting, fragments

register = template.Library()


@register.filter
def message_body(message: Any) -> SafeString:
    return formatting.render_message_body(message)


@register.filter
def markdown(text: str) -> SafeString:
    return formatting.render_markdown(text)


@register.filter
def message_display(message: Any) -> SafeString:
    """The body as the conversation shows it: quoted history of earlier messages folded away."""
    return formatting.render_for_conversation(message)


@register.simple_tag
def conversation_items(messages: Any) -> SafeString:
    """The conversation's ``<li>`` items, built in Python (a conversation renders 50+ of them) and kept
    per message in the shared cache, keyed on a digest of everything the item shows: a ticket that changed
    renders only its new messages."""
    items = list(messages)
    if not settings.WORKSPACE_FRAGMENTS:
        return mark_safe("\n".join(_item(m) for m in items))  # noqa: S308 — each built with format_html
    zone = timezone.get_current_timezone_name()
    keys = {m.pk: f"ws:msg:{m.pk}:{_digest(m, zone)}" for m in items}
    found = cache.get_many(list(keys.values())) if items else {}
    fresh: dict[str, str] = {}
    out = []
    for m in items:
        html = found.get(keys[m.pk])
        if html is None:
            html = fresh[keys[m.pk]] = _item(m)
        out.append(html)
    if fresh:
        cache.set_many(fresh, fragments.MESSAGE_TTL)
    return mark_safe("\n".join(out))  # noqa: S308 — each item built with format_html


def _digest(m: Any, zone: str) -> str:
    files = [(a.pk, a.original_name, a.size, bool(a.thumbnail)) for a in m.attachments.all()]
    parts = (m.body, m.body_html, m.visibility, m.kind, m.format, m.author_name, m.created_at, zone, files)
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _item(m: Any) -> str:
    at = timezone.localtime(m.created_at)
    internal = m.is_internal
    return format_html(
        '<li class="message {} kind-{}" id="message-{}">\n    <header><strong>{}</strong>\n'
        '      <span class="badge">{}</span>\n      <time datetime="{}">{}</time></header>\n'
        '    <div class="body format-{}">{}</div>\n    {}\n  </li>',
        "internal" if internal else "public",
        m.kind,
        m.pk,
        m.author_name,
        "Internal note — not visible to the requester" if internal else "Public reply",
        at.isoformat(),
        at.strftime("%Y-%m-%d %H:%M"),
        m.format,
        formatting.render_for_conversation(m),
        extensions.message_files(m),
    )

"""``{% load message_format %}``: ``{{ message|message_body }}``, ``{{ text|markdown }}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from tickets import formatting

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

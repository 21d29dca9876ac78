"""Article bodies are Markdown. The shared renderer (``tickets.formatting.render_markdown``: Markdown +
nh3) is used when it exists; until then the same two libraries are used here with the same settings."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

try:  # the attachments work provides the project-wide renderer
    from tickets.formatting import render_markdown as _shared  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on what is landed
    _shared = None

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


def render_markdown(text: str) -> SafeString:
    if _shared is not None:
        return mark_safe(str(_shared(text)))  # noqa: S308 - sanitized by the shared renderer
    import markdown
    import nh3

    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"])
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"})
    return mark_safe(clean)  # noqa: S308 - nh3 sanitized it

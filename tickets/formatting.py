"""How message text becomes HTML: Markdown (replies and notes written on our screens), sanitised HTML
(HTML email), or legacy plain text (line breaks kept). Everything passes the same nh3 allow-list: no
raw HTML from Markdown, no scripts or event handlers, links only to http(s)/mailto (opening with
``rel="noopener nofollow"``), images only from our own origin."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import markdown
import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

PLAIN, MARKDOWN, HTML = "plain", "markdown", "html"

_MD_TAGS = {
    "p", "br", "strong", "em", "b", "i", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip
_HTML_TAGS = _MD_TAGS | {
    "div", "span", "u", "sub", "sup", "small", "font", "center", "caption", "tfoot", "col", "colgroup",
    "dl", "dt", "dd", "abbr", "cite", "q", "kbd", "samp", "var", "mark", "ins", "figure", "figcaption",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "code": {"class"},
}
_SCHEMES = {"http", "https", "mailto"}
_CID = re.compile(r"^cid:", re.IGNORECASE)


def _clean(html: str, tags: set[str], cid_urls: Mapping[str, str] | None = None) -> SafeString:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr == "href" and _CID.match(value):
            return None
        if tag == "img" and attr == "src":
            if _CID.match(value):
                return (cid_urls or {}).get(_CID.sub("", value).strip("<>"))
            # Our own files only: a remote image would tell its sender who read the message, and when.
            return value if value.startswith("/") and not value.startswith("//") else None
        if tag == "code" and attr == "class":
            return value if re.fullmatch(r"language-[\w+-]{1,30}", value) else None
        return value

    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES | {"cid"},  # cid: only survives as an img src mapped to our URL
        link_rel="noopener nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        attribute_filter=keep,
        clean_content_tags={"script", "style", "template", "iframe", "object", "svg", "math"},
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 output


class _NoRawHtml(markdown.extensions.Extension):
    """Raw HTML typed into Markdown is shown as text, never passed through."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


_EXTENSIONS = [_NoRawHtml(), "fenced_code", "sane_lists", "nl2br", "tables"]
_CACHE: OrderedDict[str, SafeString] = OrderedDict()
_CACHE_SIZE = 1024


def _memo(kind: str, text: str, render: Any) -> SafeString:
    """Rendering is pure: keep the last results per process (a busy workspace renders the same bodies)."""
    key = kind + hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    value = render(text)
    _CACHE[key] = value
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value


def render_markdown(text: str) -> SafeString:
    return _memo("md", text or "", lambda t: _clean(markdown.markdown(t, extensions=_EXTENSIONS), _MD_TAGS))


def sanitize_html(html: str, cid_urls: Mapping[str, str] | None = None) -> SafeString:
    """HTML from outside (email) reduced to safe markup. ``cid_urls`` maps inline-image content ids to
    our download URLs; any other image source is dropped."""
    if cid_urls:
        return _clean(html or "", _HTML_TAGS, cid_urls)
    return _memo("html", html or "", lambda h: _clean(h, _HTML_TAGS))


def render_plain(text: str) -> SafeString:
    """Legacy plain text: escaped, paragraphs and line breaks kept (as ``linebreaksbr`` did)."""
    return mark_safe(escape(text or "").replace("\r\n", "\n").replace("\n", "<br>"))  # noqa: S308


def render_text(text: str, fmt: str) -> SafeString:
    if fmt == MARKDOWN:
        return render_markdown(text)
    if fmt == HTML:
        return sanitize_html(text)
    return render_plain(text)


def render_message_body(message: Any, cid_urls: Mapping[str, str] | None = None) -> SafeString:
    """A message's body as safe HTML: its HTML part when it has one (email), else by its format."""
    fmt = getattr(message, "format", PLAIN) or PLAIN
    if getattr(message, "body_html", ""):
        return sanitize_html(message.body_html, cid_urls)
    return render_text(message.body or "", fmt)


_QUOTE_START = re.compile(
    r"^(>|On .{4,200} wrote:\s*$|-{2,}\s*Original Message\s*-{2,}|From: .+@.+$)", re.IGNORECASE
)


def split_quoted(text: str) -> tuple[str, str]:
    """(new text, quoted history) of a plain/Markdown body: the quoted tail starts at the first line of
    a trailing block that quotes an earlier message ("> …", "On … wrote:")."""
    lines = (text or "").splitlines()
    for i, line in enumerate(lines):
        if (
            i
            and _QUOTE_START.match(line.strip())
            and all(
                not rest.strip() or rest.lstrip().startswith(">") or j == 0
                for j, rest in enumerate(lines[i:])
            )
        ):
            head = "\n".join(lines[:i]).rstrip()
            if head:
                return head, "\n".join(lines[i:])
    return text or "", ""


def plain_text(message: Any) -> str:
    """The text part of outbound mail from the same source (Markdown is readable as it is)."""
    return message.body or ""


__all__ = [
    "HTML",
    "MARKDOWN",
    "PLAIN",
    "plain_text",
    "render_markdown",
    "render_for_conversation",
    "render_message_body",
    "render_plain",
    "render_text",
    "sanitize_html",
    "split_quoted",
]


def render_for_conversation(message: Any) -> SafeString:
    """``render_message_body`` with a trailing quote of earlier mail folded into "Show quoted text"."""
    if getattr(message, "body_html", ""):
        return render_message_body(message)
    fmt = getattr(message, "format", PLAIN) or PLAIN
    new, quoted = split_quoted(message.body or "")
    if not quoted:
        return render_text(new, fmt)
    return format_html(
        '{}<details class="quoted"><summary>Show quoted text</summary>{}</details>',
        render_text(new, fmt),
        render_text(quoted, fmt),
    )

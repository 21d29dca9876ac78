"""Markdown, HTML email and legacy plain text rendering (tickets/formatting.py)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from tickets import formatting
from tickets.models import Message

XSS_MARKDOWN = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def assert_inert(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in {"script", "svg", "iframe", "object", "embed", "style", "form", "input", "math"}
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for key in ("href", "src", "action", "formaction", "xlink:href"):
            value = attrs.get(key, "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


@pytest.mark.parametrize("source", XSS_MARKDOWN)
def test_markdown_xss_is_inert(source):
    assert_inert(str(formatting.render_markdown(source)))


def test_raw_html_in_markdown_is_shown_as_text():
    assert str(formatting.render_markdown("<b>hi</b>")) == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"


def test_markdown_formatting_and_links():
    html = str(
        formatting.render_markdown("**ESCALATED QUESTION 1**\n\n- a\n- b\n\n[docs](https://example.com)")
    )
    assert "<strong>ESCALATED QUESTION 1</strong>" in html
    assert "<ul>" in html and "<li>a</li>" in html
    assert 'href="https://example.com"' in html
    assert 'rel="noopener nofollow"' in html and 'target="_blank"' in html


def test_markdown_keeps_line_breaks_and_code():
    html = str(formatting.render_markdown("line one\nline two\n\n```\n<b>x</b>\n```"))
    assert "line one<br" in html
    assert "<pre><code>&lt;b&gt;x&lt;/b&gt;" in html


def test_remote_images_are_dropped_own_files_kept():
    html = str(formatting.render_markdown("![a](https://tracker.example/p.gif) ![b](/files/3/)"))
    assert "tracker.example" not in html
    assert 'src="/files/3/"' in html


HTML_EMAIL = (
    '<div style="color:red" onclick="alert(1)"><p>Hello <b>there</b></p>'
    "<script>alert(1)</script><style>body{display:none}</style>"
    '<img src="cid:logo@x" onerror="alert(1)"><img src="https://track.example/p.gif">'
    '<a href="javascript:alert(1)">bad</a><a href="https://ok.example">ok</a>'
    '<svg onload="alert(1)"><circle/></svg><iframe src="https://evil.example"></iframe>'
    '<form action="https://evil.example"><input name=x></form></div>'
)


def test_html_email_is_sanitised():
    html = str(formatting.sanitize_html(HTML_EMAIL, {"logo@x": "/files/9/"}))
    assert_inert(html)
    lowered = html.lower()
    for bad in ("<script", "onclick", "onerror", "onload", "<style", "<svg", "<iframe", "<form", "<input"):
        assert bad not in lowered
    assert "javascript:" not in lowered and "track.example" not in lowered
    assert 'src="/files/9/"' in html
    assert "<b>there</b>" in html and 'href="https://ok.example"' in html


def test_plain_text_renders_as_before():
    text = "Hi <team>,\nline two\n\nthird & last"
    old = Template("{{ body|linebreaksbr }}").render(Context({"body": text}))
    assert str(formatting.render_plain(text)) == old


def test_render_message_body_by_format():
    assert str(formatting.render_message_body(Message(body="*a*\nb"))) == "*a*<br>b"
    assert "<em>a</em>" in str(formatting.render_message_body(Message(body="*a*", format="markdown")))
    html = str(
        formatting.render_message_body(Message(body="text part", body_html="<p>x<script>1</script></p>"))
    )
    assert html == "<p>x</p>"


def test_template_filters():
    out = Template("{% load message_format %}{{ m|message_body }}|{{ t|markdown }}").render(
        Context({"m": Message(body="**b**", format="markdown"), "t": "_i_"})
    )
    assert out == "<p><strong>b</strong></p>|<p><em>i</em></p>"


def test_split_quoted_history():
    text = "Thanks, that worked.\n\nOn Mon, 1 Dec 2026 at 10:00, Support wrote:\n> Try again\n> please"
    new, quoted = formatting.split_quoted(text)
    assert new == "Thanks, that worked."
    assert quoted.startswith("On Mon") and "> please" in quoted
    assert formatting.split_quoted("> only a quote") == ("> only a quote", "")
    assert formatting.split_quoted("no quote\nhere") == ("no quote\nhere", "")

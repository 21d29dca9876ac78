"""The workspace's right pane: each feature panel in a collapsible section.

A panel template (listed in ``helpdesk/workspace.py``) renders a ``<section>`` with an ``<h2>``/``<h3>``
title, or nothing when it does not apply to this ticket. ``{% panel_section name %}`` renders it like
``{% include %}`` would (same context, same queries) and wraps what came out in a ``<details>`` whose
summary is the panel's own title, so a new panel needs no extra wiring. A panel without a title (e.g.
presence) is shown as it is; an empty one leaves no trace."""

from __future__ import annotations

import re
from html import escape, unescape

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from tickets import fragments

register = template.Library()

_TITLE = re.compile(r"<h[23][^>]*>(.*?)</h[23]>", re.S)
_NEEDS_ATTENTION = ("errorlist", 'role="alert"', "esc-oncall")


@register.filter
def initials(name: str) -> str:
    """Two letters for the CSS avatar."""
    from tickets.rows import initials as _initials

    return _initials(str(name or ""))


@register.simple_tag(takes_context=True)
def panel_section(context: template.Context, name: str) -> SafeString:
    """A panel through the workspace's fragment cache (``tickets/fragments.py``): on a miss its provider's
    data is built (``panel_data``, lazily) and the panel rendered and stored."""
    assert context.template is not None  # rendered inside the workspace template
    engine = context.template.engine

    def render(ctx: template.Context) -> str:
        provide = ctx.get("panel_data")
        with ctx.push(**(provide(name) if provide else {})):
            html = _section(name, engine.get_template(name).render(ctx))
        if provide and ctx.get("fragments") and provide.alone(name):
            ctx["fragments"].keep_alone(name)
        return html

    return mark_safe(fragments.render_into(context.get("fragments"), name, context, render))  # noqa: S308


def _section(name: str, html: str) -> str:
    if not html.strip():
        return ""
    found = _TITLE.search(html)
    if found is None:
        return html  # rendered by the template engine (autoescaped)
    title = escape(" ".join(unescape(strip_tags(found.group(1))).split()))
    key = escape(name.rsplit("/", 1)[-1].removesuffix(".html"))
    attention = " data-attention" if any(mark in html for mark in _NEEDS_ATTENTION) else ""
    return (  # title escaped above, html rendered by the template engine
        f'<details class="section" open data-section="{key}"{attention}>'
        f'<summary>{title}</summary><div class="section-body">{html}</div></details>'
    )


@register.tag("fragment")
def do_fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    """``{% fragment "conversation" %}…{% endfragment %}``: the enclosed part through the workspace's
    fragment cache (rendered as it is when the page has none)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment %} takes one name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1].strip("\"'"), nodelist)


class FragmentNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name, self.nodelist = name, nodelist

    def render(self, context: template.Context) -> str:
        return fragments.render_into(context.get("fragments"), self.name, context, self.nodelist.render)

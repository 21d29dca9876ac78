"""The form renderer (``FORM_RENDERER``): Django's template renderer, with its most used widget templates
built in Python (issue #20 §1).

Django renders every widget through two or three small templates (``input.html`` includes
``attrs.html``; a select renders ``select_option.html`` once per option) and every empty error list through
two more. The workspace's panels hold about a hundred of them: a quarter of a page that has to be rendered
afresh. The builders below produce the same bytes as those templates — ``tests/helpdesk/
test_form_renderer.py`` renders the project's widgets both ways and compares — and any other template
(a custom widget, a non-empty error list) goes through the templates as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape

W = "django/forms/widgets/"
# The widget templates that are ``{% include "django/forms/widgets/input.html" %}`` and nothing else.
INPUTS = frozenset(
    [
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``attrs.html``: `` name="value"`` for each attribute, `` name`` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{escape(value)}"'
        )
    return "".join(out)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{escape(value)}"' if value is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: Mapping[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


def _option(option: Mapping[str, Any]) -> str:
    label = conditional_escape(option["label"])
    return f'<option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget: Mapping[str, Any], fallback: Callable[[str, dict], str]) -> str:
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] == f"{W}select_option.html":
                out.append(f"\n  {_option(option)}\n")
            else:
                out.append(f"\n  {fallback(option['template_name'], {'widget': option})}")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FastRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        name = template_name.removeprefix(W).removesuffix(".html")
        if template_name.startswith(W) and name in INPUTS:
            return _input(context["widget"])
        if template_name == f"{W}textarea.html":
            return _textarea(context["widget"])
        if template_name in (f"{W}select.html", f"{W}select_multiple.html"):
            return _select(context["widget"], self._template).strip()
        if template_name.startswith("django/forms/errors/list/") and not context.get("errors"):
            return ""  # an empty error list renders nothing
        return super().render(template_name, context, request)

    def _template(self, template_name: str, context: dict[str, Any]) -> str:
        """An included template keeps its trailing newline (only the outer render is stripped)."""
        return self.get_template(template_name).render(context)

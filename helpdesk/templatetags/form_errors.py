"""``{{ form|field_errors }}``: (field id, label, message) for each field error of a bound form, in field
order, for the error summary at the top of a form (templates/partials/error_summary.html). Errors that
belong to no field are shown by each form where it already puts them."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def field_errors(form: Any) -> list[tuple[str, str, str]]:
    if not getattr(form, "is_bound", False) or not form.errors:
        return []
    return [
        (field.id_for_label or field.html_name, str(field.label or field.name), str(error))
        for field in form
        for error in field.errors
    ]

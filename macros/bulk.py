""" "Apply macro" in the queues' bulk bar (issue #16 §4, through the bulk seam of ``tickets/bulk.py``;
listed in helpdesk/workspace.py). Each picked row gets :func:`macros.services.apply_macro` with its
version, so a row changed meanwhile is skipped and a row the macro cannot apply to (a reply on a ticket
still in triage, a deleted team) is skipped with the reason, nothing stored for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from tickets.bulk import BulkAction
from tickets.errors import TicketError
from tickets.models import Ticket

from . import services
from .models import Macro


def _label(macro: Macro) -> str:
    does = services.describe(macro)
    return f"{macro.title} — {', '.join(does)}" if does else macro.title


class MacroParams(forms.Form):
    # The bar is built without the person, so it offers the shared macros; personal ones are applied
    # one ticket at a time from the reply box.
    macro = forms.ChoiceField(label="Macro")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["macro"]
        assert isinstance(field, forms.ChoiceField)
        # Each label says what the macro does to every picked row (the bar's preview of the change).
        shared = Macro.objects.filter(is_active=True, owner__isnull=True)
        field.choices = [(str(m.pk), _label(m)) for m in shared]

    def clean_macro(self) -> Macro:
        found = Macro.objects.filter(pk=int(self.cleaned_data["macro"]), is_active=True, owner__isnull=True)
        macro = found.first()
        if macro is None:
            raise forms.ValidationError("That macro is no longer offered.")
        return macro


def _apply(ticket: Ticket, by: Any, params: Mapping[str, Any], expected_version: int | None) -> bool:
    macro: Macro = params["macro"]
    if macro.owner_id not in (None, getattr(by, "pk", None)):
        raise TicketError("That macro belongs to someone else.")
    outcome = services.apply_macro(ticket, by, macro, expected_version=expected_version)
    return bool(outcome.changes or outcome.messages)


APPLY_MACRO = BulkAction("macro", "Apply macro", _apply, MacroParams)

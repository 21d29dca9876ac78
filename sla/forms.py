"""Forms of the sla screens."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone


class CommitmentForm(forms.Form):
    """Either a quick pick (an ISO timestamp from a button) or a date and time typed in."""

    pick = forms.CharField(required=False, widget=forms.HiddenInput)
    due_at = forms.DateTimeField(
        required=False,
        label="Next update by",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self) -> dict:
        data = super().clean()
        pick = (data.get("pick") or "").strip()
        if pick:
            try:
                due = dt.datetime.fromisoformat(pick)
            except ValueError:
                raise forms.ValidationError("That quick pick is not a time; choose again.") from None
            data["due_at"] = due if timezone.is_aware(due) else timezone.make_aware(due)
        if not data.get("due_at") and not self.has_error("due_at"):
            self.add_error("due_at", "Choose when the requester will hear from us next.")
        return data


class PolicyForm(forms.Form):
    """A policy's limits in business hours (a business day of the default calendar is 8 h) and the lead
    told when a ticket of the tier turns red."""

    green_hours = forms.DecimalField(
        min_value=0.01, max_value=10000, decimal_places=2, label="Green under (h)"
    )
    yellow_hours = forms.DecimalField(
        min_value=0.01, max_value=10000, decimal_places=2, label="Yellow under (h)"
    )
    lead = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Lead")

    def __init__(self, *args, staff: list[tuple[int, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "— (a manager)")] + list(staff or [])

    def clean(self) -> dict:
        data = super().clean()
        green, yellow = data.get("green_hours"), data.get("yellow_hours")
        if green is not None and yellow is not None and yellow < green:
            self.add_error("yellow_hours", "Yellow cannot be shorter than green.")
        return data

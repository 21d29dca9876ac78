"""Forms of the sla screens: the commitment ("next update by"), the tier policies and the managers'
business-calendar form (working hours typed per weekday as ``09:00-17:00`` or, for a split shift,
``08:00-12:00, 13:00-17:00``; empty = closed; holidays as dates, one per line)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tickets.models import Organization

from .calendars import WEEKDAYS, validate_calendar
from .models import BusinessCalendar


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
        data = super().clean() or {}
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


_LIMIT = {"max_value": "At most 480 business hours (60 business days of 8 hours)."}


class PolicyForm(forms.Form):
    """A policy's limits in business hours (a business day of the default calendar is 8 h) and the lead
    told when a ticket of the tier turns red."""

    green_hours = forms.DecimalField(
        min_value=0.01, max_value=480, decimal_places=2, label="Green under (h)", error_messages=_LIMIT
    )
    yellow_hours = forms.DecimalField(
        min_value=0.01, max_value=480, decimal_places=2, label="Yellow under (h)", error_messages=_LIMIT
    )
    lead = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Lead")
    # The version the edit started from: a save after another manager's is refused (409), values kept.
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, staff: list[tuple[int, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "— (a manager)")] + list(staff or [])

    def clean(self) -> dict:
        data = super().clean() or {}
        green, yellow = data.get("green_hours"), data.get("yellow_hours")
        if green is not None and yellow is not None and yellow < green:
            self.add_error("yellow_hours", "Yellow cannot be shorter than green.")
        return data


DAY_FIELDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$")


def hours_text(entry: Any) -> str:
    """A stored weekday entry → the text the form shows."""
    if not entry:
        return ""
    spans = entry if isinstance(entry[0], list | tuple) else [entry]
    return ", ".join(f"{start}-{end}" for start, end in spans)


def _parse_day(text: str, day: str) -> Any:
    text = (text or "").strip()
    if not text:
        return None
    spans = []
    for part in text.split(","):
        found = _SPAN.match(part)
        if not found:
            raise ValidationError(
                f"{day}: write hours like 09:00-17:00, or 08:00-12:00, 13:00-17:00 for a "
                "split shift (empty = closed)."
            )
        spans.append([f"{int(t.split(':')[0]):02d}:{t.split(':')[1]}" for t in found.groups()])
    return spans[0] if len(spans) == 1 else spans


class CalendarForm(forms.Form):
    name = forms.CharField(max_length=100)
    time_zone = forms.CharField(
        max_length=64, initial="UTC", help_text="e.g. Europe/London, America/New_York"
    )
    country = forms.CharField(max_length=2, required=False, help_text="ISO code for public holidays, e.g. GB")
    subdivision = forms.CharField(max_length=10, required=False, help_text="e.g. ENG for England")
    mon = forms.CharField(required=False, label="Monday")
    tue = forms.CharField(required=False, label="Tuesday")
    wed = forms.CharField(required=False, label="Wednesday")
    thu = forms.CharField(required=False, label="Thursday")
    fri = forms.CharField(required=False, label="Friday")
    sat = forms.CharField(required=False, label="Saturday")
    sun = forms.CharField(required=False, label="Sunday")
    extra_holidays = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Extra closed days",
        help_text="Dates like 2026-12-24, one per line",
    )
    is_default = forms.BooleanField(
        required=False, label="Default calendar (all tickets without an override)"
    )
    organizations = forms.ModelMultipleChoiceField(
        Organization.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Organizations whose tickets use this calendar instead of the default.",
    )
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, instance: BusinessCalendar | None = None, **kwargs: Any) -> None:
        self.instance = instance or BusinessCalendar()
        if instance is not None and not kwargs.get("data") and not args:
            hours = list(instance.weekly_hours or []) + [None] * 7
            kwargs["initial"] = {
                "name": instance.name,
                "time_zone": instance.time_zone,
                "country": instance.country,
                "subdivision": instance.subdivision,
                "is_default": instance.is_default,
                "extra_holidays": "\n".join(map(str, instance.extra_holidays or [])),
                "organizations": list(instance.organizations.all()) if instance.pk else [],
                "version": instance.version,
                **{f: hours_text(hours[i]) for i, f in enumerate(DAY_FIELDS)},
            }
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean() or {}
        weekly = []
        for field, day in zip(DAY_FIELDS, WEEKDAYS, strict=True):
            try:
                weekly.append(_parse_day(data.get(field, ""), day))
            except ValidationError as exc:
                self.add_error(field, exc)
        data["weekly_hours"] = weekly
        data["extra_dates"] = [d for d in re.split(r"[\s,]+", data.get("extra_holidays") or "") if d]
        data["country"] = (data.get("country") or "").upper()
        if self.errors:
            return data
        try:
            validate_calendar(
                data.get("time_zone", ""),
                data["country"],
                data.get("subdivision", ""),
                weekly,
                data["extra_dates"],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data

    def apply(self) -> BusinessCalendar:
        """Copy the cleaned values onto the calendar (not saved)."""
        cal, data = self.instance, self.cleaned_data
        cal.name, cal.time_zone, cal.country = data["name"], data["time_zone"], data["country"]
        cal.subdivision, cal.is_default = data.get("subdivision", ""), data.get("is_default", False)
        cal.weekly_hours, cal.extra_holidays = data["weekly_hours"], data["extra_dates"]
        return cal

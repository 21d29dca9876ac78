"""Forms of the agent screens and the requester portal. Forms only parse and validate input; the
services decide (and raise TicketError, which the views put back on the form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from .errors import body_too_long
from .models import Kind, Priority, Status, Visibility
from .queues import DEFAULT_SORT, SORTS, STATUS_FILTERS, BadCursor, QueueQuery, decode_cursor


def _fits(value: str) -> None:
    problem = body_too_long(value)
    if problem:
        raise forms.ValidationError(problem, code="max_length")


class ReplyForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 7}),
        strip=True,
        error_messages={"required": "Write something before sending."},
        validators=[_fits],
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, required=False, initial=Visibility.PUBLIC
    )
    internal = forms.BooleanField(required=False, label="Internal note (never shown to the requester)")
    status = forms.ChoiceField(
        choices=[("", "Keep status"), *Status.choices],
        required=False,
        error_messages={"invalid_choice": "Unknown status %(value)s."},
    )
    hold_days = forms.IntegerField(required=False, min_value=1, max_value=365)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_event = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["internal"] = bool(data.get("internal")) or data.get("visibility") == Visibility.INTERNAL
        if data.get("status") == Status.HOLD and not data.get("hold_days"):
            self.add_error("hold_days", "On hold needs a number of days (1–365).")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Status.choices, error_messages={"invalid_choice": "Unknown status %(value)s."}
    )
    hold_days = forms.IntegerField(required=False, min_value=1, max_value=365)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean() or {}
        if data.get("status") == Status.HOLD and not data.get("hold_days"):
            self.add_error("hold_days", "On hold needs a number of days (1–365).")
        return data


class RequesterReplyForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=True,
        error_messages={"required": "Write something before sending."},
        validators=[_fits],
    )


class NewRequestForm(forms.Form):
    subject = forms.CharField(max_length=200, error_messages={"required": "Give your request a short title."})
    body = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": "Describe what you need."},
        validators=[_fits],
    )
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.QUESTION)


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(
        choices=Priority.choices, error_messages={"invalid_choice": "Unknown priority %(value)s."}
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AssigneeForm(forms.Form):
    """``assignee`` is a staff user id or empty for "unassigned"; the view checks it is a staff member."""

    assignee = forms.IntegerField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TagsForm(forms.Form):
    tags = forms.CharField(required=False, max_length=1000, help_text="Comma separated")

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class SavedViewForm(forms.Form):
    name = forms.CharField(max_length=80, error_messages={"required": "Give the view a name."})


class CannedForm(forms.Form):
    title = forms.CharField(max_length=120)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Placeholders: {{ requester.first_name }}, {{ ticket.number }}, "
        "{{ ticket.subject }}, {{ agent.first_name }}, {{ agent.name }} …",
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Offer it in the reply box")


class QueueQueryForm(forms.Form):
    """The queue's query string. A bad value is never guessed: it is dropped and explained in ``notes``
    (the page still shows, without that filter), so the form is always valid; :meth:`query` gives the
    parsed :class:`~tickets.queues.QueueQuery`."""

    status = forms.CharField(required=False, strip=False)
    priority = forms.CharField(required=False, strip=False)
    band = forms.CharField(required=False, strip=False)
    tag = forms.CharField(required=False)
    assignee = forms.CharField(required=False, strip=False)
    org = forms.CharField(required=False, strip=False)
    q = forms.CharField(required=False)
    sort = forms.CharField(required=False, strip=False)
    after = forms.CharField(required=False, strip=False)

    BANDS = ("green", "yellow", "red", "paused")

    def __init__(self, data: QueryDict | dict[str, str]) -> None:
        super().__init__(data)
        self.notes: list[str] = []

    def _drop(self, note: str, value: Any = "") -> Any:
        self.notes.append(note)
        return value

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if status in STATUS_FILTERS:
            return status
        return self._drop(f"Unknown status filter {status[:40]!r}; showing unfinished tickets.")

    def clean_priority(self) -> str:
        priority = self.cleaned_data["priority"]
        if priority and priority not in Priority.values:
            return self._drop(f"Unknown priority {priority[:40]!r}; filter ignored.")
        return priority

    def clean_band(self) -> str:
        band = self.cleaned_data["band"]
        if band and band not in self.BANDS:
            return self._drop(f"Unknown SLA band {band[:40]!r}; filter ignored.")
        return band

    def clean_tag(self) -> str:
        return self.cleaned_data["tag"][:100]

    def clean_assignee(self) -> str:
        assignee = self.cleaned_data["assignee"]
        if assignee in ("", "me", "none") or (
            assignee.isascii() and assignee.isdigit() and len(assignee) < 12
        ):
            return assignee
        return self._drop(f"Unknown assignee {assignee[:40]!r}; filter ignored.")

    def clean_org(self) -> int | None:
        org = self.cleaned_data["org"]
        if org.isascii() and org.isdigit() and len(org) < 12:
            return int(org)
        return self._drop(f"Unknown organization {org[:40]!r}; filter ignored.", None) if org else None

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())[:200]

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"] or DEFAULT_SORT
        if sort in SORTS:
            return sort
        return self._drop(f"Unknown sort order {sort[:40]!r}; sorted by SLA due.", DEFAULT_SORT)

    def clean_after(self) -> list[Any] | None:
        after = self.cleaned_data["after"]
        if not after:
            return None
        try:
            return decode_cursor(after, self.cleaned_data.get("sort") or DEFAULT_SORT)
        except BadCursor as exc:
            return self._drop(str(exc), None)

    def query(self) -> QueueQuery:
        self.is_valid()
        d = self.cleaned_data
        return QueueQuery(
            status=d["status"],
            priority=d["priority"],
            band=d["band"],
            tag=d["tag"],
            assignee=d["assignee"],
            organization=d["org"],
            text=d["q"],
            sort=d["sort"],
            after=d["after"],
            errors=self.notes,
        )


class LinkForm(forms.Form):
    number = forms.IntegerField(min_value=1, label="Ticket number")
    relation = forms.ChoiceField(
        choices=[
            ("related", "Related"),
            ("child", "Child of this ticket"),
            ("parent", "Parent of this ticket"),
        ],
        label="Link as",
    )


class ResolveChildrenForm(forms.Form):
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reply to each child's requester (optional)",
        help_text="Placeholders as in canned responses, filled in for each child.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

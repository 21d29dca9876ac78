"""Forms of the agent screens and the requester portal. Forms only parse and validate input; the
services decide (and raise TicketError, which the views put back on the form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from .models import Kind, Priority, Status, Visibility
from .queues import DEFAULT_SORT, SORTS, STATUS_FILTERS, BadCursor, QueueQuery, decode_cursor


class ReplyForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 7}),
        strip=True,
        error_messages={"required": "Write something before sending."},
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
        data = super().clean()
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
        data = super().clean()
        if data.get("status") == Status.HOLD and not data.get("hold_days"):
            self.add_error("hold_days", "On hold needs a number of days (1–365).")
        return data


class RequesterReplyForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=True,
        error_messages={"required": "Write something before sending."},
    )


class NewRequestForm(forms.Form):
    subject = forms.CharField(max_length=200, error_messages={"required": "Give your request a short title."})
    body = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": "Describe what you need."},
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


def parse_queue_query(params: QueryDict) -> QueueQuery:
    """Turn GET parameters into a QueueQuery. Unknown values are dropped with a message, never guessed."""
    q = QueueQuery()
    status = params.get("status", "")
    if status in STATUS_FILTERS:
        q.status = status
    else:
        q.errors.append(f"Unknown status filter {status[:40]!r}; showing unfinished tickets.")
    priority = params.get("priority", "")
    if priority and priority not in Priority.values:
        q.errors.append(f"Unknown priority {priority[:40]!r}; filter ignored.")
    else:
        q.priority = priority
    band = params.get("band", "")
    if band and band not in ("green", "yellow", "red", "paused"):
        q.errors.append(f"Unknown SLA band {band[:40]!r}; filter ignored.")
    else:
        q.band = band
    q.tag = params.get("tag", "").strip()[:100]
    assignee = params.get("assignee", "")
    if assignee in ("", "me", "none") or (assignee.isascii() and assignee.isdigit() and len(assignee) < 12):
        q.assignee = assignee
    else:
        q.errors.append(f"Unknown assignee {assignee[:40]!r}; filter ignored.")
    org = params.get("org", "")
    if org.isascii() and org.isdigit() and len(org) < 12:
        q.organization = int(org)
    elif org:
        q.errors.append(f"Unknown organization {org[:40]!r}; filter ignored.")
    q.text = " ".join(params.get("q", "").split())[:200]
    sort = params.get("sort", "") or DEFAULT_SORT
    if sort in SORTS:
        q.sort = sort
    else:
        q.errors.append(f"Unknown sort order {sort[:40]!r}; sorted by SLA due.")
    after = params.get("after", "")
    if after:
        try:
            q.after = decode_cursor(after, q.sort)
        except BadCursor as exc:
            q.errors.append(str(exc))
    return q

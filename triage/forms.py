"""Input for triage decisions. Screens and the API validate with the same forms, then call the same
service; services re-check everything (a form is convenience, never the only guard)."""

from __future__ import annotations

from typing import Any

from django import forms

from helpdesk.people import staff_users
from tickets.models import Contact, Kind, Priority, Status, Team

from .models import EffortReview
from .services import ANSWER_STATUSES, APPROVE_TIERS

_TIER_CHOICES = [(t.value, t.label) for t in APPROVE_TIERS]
_PRIORITY_CHOICES = [("", "Keep priority"), *Priority.choices]


def _staff_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=staff_users(),
        required=False,
        label=label,
        error_messages={"invalid_choice": "Choose a member of staff from the list."},
    )


class ApproveForm(forms.Form):
    tier = forms.ChoiceField(
        choices=_TIER_CHOICES,
        error_messages={
            "required": "Choose the tier to approve to.",
            "invalid_choice": "Unknown tier %(value)s.",
        },
    )
    assignee = _staff_field("Assign to")
    priority = forms.ChoiceField(
        choices=_PRIORITY_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Unknown priority %(value)s."},
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "tier": d["tier"],
            "assignee": d["assignee"],
            "priority": d["priority"] or None,
            "note": d["note"],
        }


class ProjectForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write the message to the requester."},
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict[str, Any]:
        return {"message": self.cleaned_data["message"], "note": self.cleaned_data["note"]}


class RerouteForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(),
        required=False,
        error_messages={"invalid_choice": "Choose a team from the list."},
    )
    assignee = _staff_field("Person")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "Say why it goes there."}
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("team")
            and not data.get("assignee")
            and not self.has_error("team")
            and not self.has_error("assignee")
        ):
            self.add_error("team", "Choose a team or a person to reroute to.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"team": d["team"], "assignee": d["assignee"], "reason": d["reason"]}


class ChargeableForm(forms.Form):
    explanation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Explain why this work is chargeable."},
    )
    # Parsed by the service (one rule for screens and API): "6", "2.5", "2,5".
    estimate = forms.CharField(
        max_length=20,
        label="Rough estimate (hours)",
        error_messages={"required": "Give a rough estimate in hours."},
    )

    def clean_estimate(self) -> str:
        from tickets.errors import InvalidInput

        from .services import parse_estimate

        try:
            return str(parse_estimate(self.cleaned_data["estimate"]))
        except InvalidInput as exc:
            raise forms.ValidationError(str(exc)) from None

    def service_kwargs(self) -> dict[str, Any]:
        return {"explanation": self.cleaned_data["explanation"], "estimate": self.cleaned_data["estimate"]}


class AnswerForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Write the answer to send."}
    )
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in ANSWER_STATUSES],
        required=False,
        error_messages={"invalid_choice": "After answering, the ticket is Pending or Resolved."},
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"body": self.cleaned_data["body"], "status": self.cleaned_data["status"] or Status.RESOLVED}


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(
        choices=Priority.choices,
        error_messages={"required": "Choose a priority.", "invalid_choice": "Unknown priority %(value)s."},
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"priority": self.cleaned_data["priority"]}


class AuthorisationRequestForm(forms.Form):
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.filter(is_authorised=True),
        error_messages={
            "required": "Choose the authorised contact to ask.",
            "invalid_choice": "Choose an authorised contact of this organization.",
        },
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"contact": self.cleaned_data["contact"]}


class OverrideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason for overriding the authorised-contact rule."},
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class BulkForm(forms.Form):
    OPERATIONS = [
        ("approve", "Approve selected"),
        ("priority", "Set priority of selected"),
        ("spam", "Mark selected as spam"),
    ]
    op = forms.ChoiceField(choices=OPERATIONS)
    tickets = forms.TypedMultipleChoiceField(
        coerce=int, choices=(), error_messages={"required": "Select at least one ticket."}
    )
    tier = forms.ChoiceField(choices=[("", "Tier…"), *_TIER_CHOICES], required=False)
    priority = forms.ChoiceField(choices=[("", "Priority…"), *Priority.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any number is acceptable here; the view loads only tickets that exist.
        self.fields["tickets"].valid_value = lambda value: str(value).isascii() and str(value).isdigit()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("op") == "approve" and not data.get("tier"):
            self.add_error("tier", "Choose the tier to approve the selected tickets to.")
        if data.get("op") == "priority" and not data.get("priority"):
            self.add_error("priority", "Choose the priority for the selected tickets.")
        return data


class SplitForm(forms.Form):
    message = forms.IntegerField(
        widget=forms.RadioSelect, error_messages={"required": "Pick the message with the unrelated question."}
    )
    subject = forms.CharField(
        max_length=200, error_messages={"required": "Give the new ticket its own title."}
    )
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.QUESTION)


__all__ = [
    "ApproveForm",
    "ProjectForm",
    "RerouteForm",
    "ChargeableForm",
    "AnswerForm",
    "PriorityForm",
    "AuthorisationRequestForm",
    "OverrideForm",
    "BulkForm",
    "SplitForm",
]


class EffortForm(forms.Form):
    """The effort estimate on a ticket (checked by ``triage.effort.parse_days``: the typed text is kept)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    estimate_days = forms.CharField(
        label="Estimated effort (working days)",
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    arranged = forms.BooleanField(label="Agreed with the requester beforehand", required=False)
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EffortDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=EffortReview.Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note to the agent (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QueueQueryForm(forms.Form):
    """The triage queue's query string (sort, search box, SLA band, page). A bad value is dropped and
    explained in ``notes``; :meth:`query` gives the parsed filter."""

    q = forms.CharField(required=False)
    sort = forms.CharField(required=False, strip=False)
    band = forms.CharField(required=False, strip=False)
    after = forms.CharField(required=False, strip=False)

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        self.notes: list[str] = []

    def _drop(self, note: str, value: Any = "") -> Any:
        self.notes.append(note)
        return value

    def query(self) -> Any:
        from tickets.models import SlaBand
        from tickets.queues import BadCursor, decode_cursor

        from .selectors import DEFAULT_SORT, ID_SORTS, SORTS, QueueFilter

        d = getattr(self, "cleaned_data", {})
        text = " ".join(str(d.get("q", "")).split())[:200] if "q" in d else ""
        if "q" not in d and self.data.get("q"):
            self._drop("The search text has characters that cannot be searched; search ignored.")
        sort = d.get("sort") or DEFAULT_SORT
        if sort not in SORTS:
            sort = self._drop(f"Unknown sort order {sort[:40]!r}; oldest first.", DEFAULT_SORT)
        band = d.get("band") or ""
        if band and band not in SlaBand.values:
            band = self._drop(f"Unknown SLA band {band[:40]!r}: showing every band.")
        raw = d.get("after") or ""
        after, cursor = None, None
        if raw and sort in ID_SORTS:
            after = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        elif raw:
            try:
                cursor = decode_cursor(raw, sort, SORTS)
            except BadCursor as exc:
                self._drop(str(exc))
        return QueueFilter(sort=sort, text=text, band=band, after=after, cursor=cursor)

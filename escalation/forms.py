"""Small forms for the escalation screens. Business rules stay in the services; forms only parse."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from tickets.errors import TicketError
from tickets.models import Status, Tier

from .models import KnownIssue, ReviewTag
from .oncall_gate import confirmer_choices, confirmers
from .selectors import ESCALATABLE, other_review_tags
from .services.routing import ENGAGEMENT_REASONS

QUESTION_FIELDS = 5
UP_TIERS = [(t.value, t.label) for t in ESCALATABLE]
DOWN_TIERS = [(t.value, t.label) for t in (Tier.T1, Tier.T2, Tier.T3, Tier.T4, Tier.T5)]


def error_field(exc: TicketError, form: forms.Form) -> str | None:
    """The form field a service error belongs to, or ``None`` for a non-field error."""
    return exc.field if exc.field in form.fields else None


def _staff_users():
    return (
        get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct().order_by("username")
    )


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class EscalateUpForm(VersionedForm):
    to_tier = forms.ChoiceField(choices=UP_TIERS, label="Escalate to")
    findings = forms.CharField(
        required=False,
        label="Findings so far (where you got stuck)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    transition_comment = forms.CharField(
        required=False,
        label="Transition comment to the requester (public)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent when it is due (T2 always; T1 when the requester spoke last; anyone after a day "
        "without news) — a default is used if empty.",
    )
    skip_transition_comment = forms.BooleanField(required=False, label="Don't send a transition comment")
    not_a_known_issue = forms.BooleanField(required=False, label="This is not the matching known issue")
    confirmed_by = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="On-call during working hours: confirmed by (team lead or T2)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["confirmed_by"]
        field.queryset = confirmers()
        field.choices = [("", "—"), *confirmer_choices()]  # memoised: no query per page render
        for n in range(1, QUESTION_FIELDS + 1):
            self.fields[f"question_{n}"] = forms.CharField(
                required=False,
                label=f"ESCALATED QUESTION {n}",
                widget=forms.Textarea(attrs={"rows": 2, "class": "esc-question"}),
            )

    def questions(self) -> list[str]:
        return [self.cleaned_data.get(f"question_{n}", "") for n in range(1, QUESTION_FIELDS + 1)]

    def question_fields(self):
        return [self[f"question_{n}"] for n in range(1, QUESTION_FIELDS + 1)]


class EscalateDownForm(VersionedForm):
    to_tier = forms.ChoiceField(choices=DOWN_TIERS, label="Back to")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Internal note for the lower tier (why, not just what)",
    )
    known_issue = forms.IntegerField(required=False, min_value=1, label="Known issue number")
    doc_url = forms.CharField(required=False, label="Doc link")
    missed_doc_review = forms.BooleanField(
        required=False, label=f"{ReviewTag.MISSED_DOC_REVIEW} (the answer was in the doc)"
    )
    process_tweak = forms.BooleanField(
        required=False, label=f"{ReviewTag.PROCESS_TWEAK} (the process was not followed)"
    )
    other_tags = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Other review tags"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_tags"].choices = [(t, t) for t in other_review_tags()]


class LinkKnownIssueForm(VersionedForm):
    known_issue = forms.IntegerField(
        min_value=1, label="Known issue number", error_messages={"required": "Enter a known issue number."}
    )


class LinkTicketForm(forms.Form):
    ticket = forms.IntegerField(
        min_value=1, label="Ticket number", error_messages={"required": "Enter a ticket number."}
    )


class KnownIssueForm(forms.Form):
    title = forms.CharField(max_length=200)
    short_name = forms.CharField(max_length=40, label="Short name (for the tag)")
    external_url = forms.CharField(required=False, label="Bug link")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Internal description"
    )
    status = forms.ChoiceField(
        choices=[(KnownIssue.Status.INVESTIGATING, "Investigating"), (KnownIssue.Status.KNOWN, "Known")]
    )


class StatusPostForm(forms.Form):
    post = forms.ChoiceField(choices=KnownIssue.Post.choices, label="Status page")
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Public text")


class ResolveForm(forms.Form):
    send_reply = forms.BooleanField(required=False, initial=True, label="Reply to every linked open ticket")
    reply = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}), label="Public reply")
    set_status = forms.ChoiceField(
        required=False,
        label="Then set status",
        choices=[("", "Keep status"), (Status.PENDING, "Pending"), (Status.RESOLVED, "Resolved")],
    )
    post_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Status page text now it is fixed",
        help_text="Shown on the public status page under “Resolved”.",
    )


class EngagementForm(VersionedForm):
    reason = forms.ChoiceField(
        choices=[("", "Which situation is it?"), *ENGAGEMENT_REASONS], label="Why Engagement"
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Internal note")
    follow = forms.BooleanField(required=False, label="Follow this ticket to see how it is handled")
    member = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Engagement member (optional)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            get_user_model().objects.filter(support_teams__slug="engagement").order_by("username")
        )


class ProductForm(VersionedForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why Product needs to know (starts with **Product**)",
    )


class MarketingForm(VersionedForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why Marketing needs to know"
    )
    done = forms.BooleanField(required=False, label="Our work is done: assign it to Marketing")


class TierAssignmentForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    tier = forms.ChoiceField(choices=[(t.value, t.label) for t in Tier])
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    substitute_for = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _staff_users()
        self.fields["substitute_for"].queryset = _staff_users()


class OnCallShiftForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    order = forms.IntegerField(min_value=1, initial=1, label="Paging order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _staff_users()

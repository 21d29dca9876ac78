from __future__ import annotations

from typing import Any

from django import forms

from .models import Webhook
from .reasons import Channel, Group
from .webhooks import url_problem


class PreferencesForm(forms.Form):
    """One choice per reason group; on-call pages cannot be turned off, SLA red always shows in the app."""

    def __init__(self, *args: Any, current: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = current or {}
        for group in Group:
            choices = list(Channel.choices)
            help_text = ""
            if group == Group.ONCALL:
                choices = [c for c in choices if c[0] != Channel.NONE]
                help_text = "Pages always reach you."
            elif group == Group.SLA:
                help_text = "A ticket turning red is always shown in the app."
            self.fields[group.value] = forms.ChoiceField(
                label=group.label,
                choices=choices,
                initial=current.get(group.value, Channel.IN_APP),
                widget=forms.RadioSelect,
                help_text=help_text,
            )


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label="Incoming-webhook address", max_length=500, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = [
            "name",
            "url",
            "format",
            "secret",
            "on_oncall_page",
            "on_ticket_red",
            "on_known_issue_new",
            "on_known_issue_resolved",
            "on_status_post",
            "is_active",
        ]
        widgets = {"secret": forms.TextInput(attrs={"autocomplete": "off"})}
        labels = {"url": "Incoming-webhook address", "is_active": "Active"}

    def clean_url(self) -> str:
        url = (self.cleaned_data.get("url") or "").strip()
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        events = [f for f in self.Meta.fields if f.startswith("on_")]
        if not any(data.get(f) for f in events):
            raise forms.ValidationError("Pick at least one event to post.")
        if data.get("format") == Webhook.Format.JSON and not (data.get("secret") or "").strip():
            self.add_error("secret", "Generic JSON deliveries are signed: give a shared secret.")
        return data


class TicketNoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProductFilterForm(forms.Form):
    STATE = [("open", "Not finished"), ("all", "All")]
    state = forms.ChoiceField(choices=STATE, required=False, initial="open")
    kind = forms.ChoiceField(required=False)
    q = forms.CharField(required=False, max_length=100, label="Search subject")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tickets.models import Kind

        self.fields["kind"].choices = [("", "Any kind"), *Kind.choices]

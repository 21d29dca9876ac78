"""Forms of the side-conversation panel and the team setting."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


class StartForm(forms.Form):
    """Shown inside the workspace, next to the reply form: its own id prefix, so ``id_body`` stays unique."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "side_%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    partner_email = forms.EmailField(label="Partner's email")
    partner_name = forms.CharField(max_length=200, required=False, label="Partner (name)")
    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Message")
    partner_ticket = forms.CharField(max_length=100, required=False, label="Partner ticket number")


class WriteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Write to the partner")


class PartnerTicketForm(forms.Form):
    partner_ticket = forms.CharField(max_length=100, required=False, label="Partner ticket number")


class AlwaysCcForm(forms.Form):
    always_cc = forms.CharField(
        required=False, max_length=2000, label="Always copy", help_text="Comma separated addresses."
    )

    def clean_always_cc(self) -> str:
        raw = self.cleaned_data["always_cc"]
        addresses = [a.strip() for a in raw.replace(";", ",").split(",") if a.strip()]
        bad = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError(f"Not an email address: {', '.join(bad)}.")
        return ", ".join(addresses)

from __future__ import annotations

from django import forms

from .models import Mailbox


class BlockForm(forms.Form):
    pattern = forms.CharField(max_length=320, label="Address or domain")
    reason = forms.CharField(max_length=200, required=False)


class MailboxForm(forms.ModelForm):
    class Meta:
        model = Mailbox
        fields = [
            "name",
            "host",
            "port",
            "security",
            "username",
            "password_env",
            "folder",
            "move_to",
            "address",
            "team",
            "is_active",
        ]

    def clean_password_env(self) -> str:
        value = self.cleaned_data["password_env"].strip()
        if not value.replace("_", "").isalnum() or value[0].isdigit():
            raise forms.ValidationError("Use an environment variable name such as SUPPORT_IMAP_PASSWORD.")
        return value


class ContactForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    subject = forms.CharField(max_length=200)
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=100_000)
    # Honeypot: hidden from people by CSS; a bot that fills it in is quietly ignored.
    website = forms.CharField(required=False, label="Leave this empty")


class ContactReplyForm(forms.Form):
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=100_000)

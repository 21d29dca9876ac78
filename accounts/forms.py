"""Sign-in forms whose password check runs one at a time per username (see ``limits.one_at_a_time``)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError

from . import limits


class _OneAtATime:
    def clean(self) -> dict[str, Any]:
        username = limits.normalise_username(self.cleaned_data.get("username"))  # type: ignore[attr-defined]
        refused: ValidationError | None = None
        with limits.one_at_a_time(f"sign-in:{username}"):
            try:
                cleaned = super().clean()  # type: ignore[misc]
            except ValidationError as exc:  # raised outside the block: the counted failure is committed
                refused = exc
        if refused is not None:
            raise refused
        return cleaned


class SignInForm(_OneAtATime, AuthenticationForm):
    pass


class AdminSignInForm(_OneAtATime, AdminAuthenticationForm):
    pass


class ResetForm(PasswordResetForm):
    """Django's reset form; a mail server that refuses is logged, never shown (it would tell which
    addresses have an account)."""

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        import logging

        try:
            super().send_mail(*args, **kwargs)
        except Exception:  # SMTP errors are many types; the person sees the same "check your mail" page
            logging.getLogger(__name__).exception("password reset mail could not be sent")

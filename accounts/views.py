"""Sign-in, password change and password reset: Django's views with our templates and limits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy

from . import limits
from .forms import ResetForm, SignInForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    authentication_form = SignInForm


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """No user enumeration: every address gets the same answer. Limited per client address and per
    (normalised) address asked for; over the limit the form says so, whatever the address."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = ResetForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = settings.PASSWORD_RESET_RATE
        address = request.META.get("REMOTE_ADDR", "")
        email = limits.normalise_username(request.POST.get("email"))[:254]
        over_address = limits.hit(request, "password-reset-ip", address, rate)
        over_email = limits.hit(request, "password-reset-email", email, rate)
        if over_address or over_email:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, "Too many password reset requests. Try again in an hour.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"

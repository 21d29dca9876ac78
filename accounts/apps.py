from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in and out, password change and reset, and the limits on all of them (issue #15)."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

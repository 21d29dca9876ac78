from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "mail"
    label = "mail"
    verbose_name = "Email channel"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tickets.panels import register_panel

        register_panel("mail/panels/email.html")

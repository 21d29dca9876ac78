from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    """The project itself, listed last in INSTALLED_APPS: once every app is loaded it connects the signal
    receivers (``helpdesk/wiring.py``) and installs the workspace extensions (``helpdesk/workspace.py``)."""

    name = "helpdesk"
    verbose_name = "Helpdesk"

    def ready(self) -> None:
        from tickets import extensions

        from . import wiring, workspace

        wiring.connect()
        extensions.install(workspace.WORKSPACE)

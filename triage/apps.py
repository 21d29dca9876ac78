from importlib import import_module

from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
        # The ticket workspace offers panels once tickets/panels.py exists (screens helper); until then
        # the split page at /triage/split/<number>/ is reachable from the triage row.
        try:
            panels = import_module("tickets.panels")
        except ModuleNotFoundError:
            return
        register = getattr(panels, "register_panel", None)
        if register is not None:
            register("triage/panels/split.html")

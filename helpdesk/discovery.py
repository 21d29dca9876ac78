"""The helpdesk's own apps and the optional per-app modules (``api``, ``demo``, …) the project assembles,
so an app plugs in its API, demo data or URLs without editing a shared file."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

HELPDESK_APPS = ("tickets", "triage", "escalation", "sla")


def app_modules(name: str, apps: tuple[str, ...] = HELPDESK_APPS) -> Iterator[tuple[str, ModuleType]]:
    """Yield ``(app, module)`` for every app that has ``<app>.<name>``; an import error *inside* such a
    module still raises (only the module's absence is skipped)."""
    for app in apps:
        try:
            module = import_module(f"{app}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{name}":
                raise
            continue
        yield app, module

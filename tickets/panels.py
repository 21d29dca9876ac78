"""Extension point of the ticket workspace: other apps add side panels (escalate, split, known issue,
commitment …) by calling ``register_panel("<app>/panels/<name>.html")`` in their ``AppConfig.ready()``.
Each panel template is included with ``ticket``, ``user`` and ``request`` in its context."""

from __future__ import annotations

import logging

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

log = logging.getLogger(__name__)

PANELS: list[str] = []


def register_panel(template_name: str) -> None:
    """Add a template to every workspace's side panel (idempotent: registering twice adds it once)."""
    if template_name not in PANELS:
        PANELS.append(template_name)


def workspace_panels() -> list[str]:
    """The registered panels that exist; a missing template is logged and left out, never a 500."""
    found = []
    for name in PANELS:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            log.warning("workspace panel %s is registered but its template does not exist", name)
            continue
        found.append(name)
    return found

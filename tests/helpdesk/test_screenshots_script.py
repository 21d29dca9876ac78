"""``scripts/screenshots.py`` photographs real screens: every path it visits resolves to a view (the 404 page
is a ticket that does not exist), and every screen the issue names is in its list."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

from django.urls import resolve

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


@functools.cache
def _script():
    spec = importlib.util.spec_from_file_location("screenshots_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_screenshot_path_resolves_to_a_view():
    shots = [s for shots in _script().SCREENS.values() for s in shots]
    for shot in shots:
        path = shot.path.removeprefix("find:").split("|")[0]
        resolve(path)  # raises Resolver404 for a path no view answers


def test_the_screens_of_the_issue_are_all_photographed():
    names = {s.name for shots in _script().SCREENS.values() for s in shots}
    wanted = {
        "queue", "workspace", "triage", "dashboard", "handover", "escalation-review", "oncall",
        "known-issues", "sla-policies", "playbook", "help-centre", "portal", "notifications",
        "mail-problems", "mail-outgoing",
    }  # fmt: skip
    assert wanted <= names, wanted - names
    narrow = {s.name for shots in _script().SCREENS.values() for s in shots if s.narrow}
    assert {"queue", "workspace", "portal"} <= narrow

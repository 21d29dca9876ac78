"""axe-core in the browser tests: ``assert_accessible(page)`` injects the vendored axe (tests/e2e/vendor,
never served by the app) and fails on any serious or critical violation of WCAG 2.x A/AA rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    found = page.evaluate(
        "async (tags) => (await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))}))",
        RULES,
    )
    return [v for v in found if v["impact"] in BLOCKING]


def assert_accessible(page: Any) -> None:
    found = violations(page)
    report = "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found
    )
    assert not found, f"axe: {len(found)} serious/critical violation(s) on {page.url}\n{report}"

"""Sign in as each demo role with Playwright (Debian's Chromium) and write a PNG of every screen to
``docs/screenshots/`` — 1440 px wide, and 390 px for the queue, the workspace and the portal.

Run through ``./scripts/screenshots`` (it starts a server with the demo data, or uses ``BASE_URL``).
PNGs are cut at ``MAX_HEIGHT`` and reduced to a 256-colour palette so the whole set stays small."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

PASSWORD = os.environ.get("DEMO_PASSWORD", "demo")
WIDE, NARROW, HEIGHT, MAX_HEIGHT = 1440, 390, 900, 2400
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


@dataclass(frozen=True)
class Shot:
    name: str
    path: str  # a URL path, or "find:<list path>|<link text>" to open the first matching ticket link
    narrow: bool = False  # also at 390 px
    dark: bool = False  # also in the dark theme (prefers-color-scheme: dark), at 1440 px
    focus: str = ""  # a CSS selector scrolled into view first (e.g. a panel low in the sidebar)


# username (None: signed out) → the screens that person uses.
SCREENS: dict[str | None, list[Shot]] = {
    None: [
        Shot("sign-in", "/accounts/login/"),
        Shot("status-page", "/status/"),
        Shot("help-centre", "/help/", narrow=True),
        Shot("help-article", "find:/help/|Calendar sync is not updating"),
        Shot("contact-form", "/contact/"),
    ],
    "agent2": [
        Shot("my-work", "/", narrow=True),
        Shot("queue", "/queues/", narrow=True),
        Shot("queue-all", "/queues/all/", dark=True),
        Shot("workspace", "find:/queues/all/|VRBO listing delisted", narrow=True, dark=True),
        Shot("workspace-known-issue", "find:/queues/all/|Calendar not syncing with Airbnb"),
        Shot("known-issues", "/known-issues/"),
        Shot("known-issue", "find:/known-issues/|Airbnb calendar sync delayed"),
        Shot("oncall", "/oncall/"),
        Shot("canned-responses", "/canned/"),
        Shot("macros", "/macros/"),
        Shot("notifications", "/notifications/"),
        Shot("notification-preferences", "/notifications/preferences/"),
        Shot("knowledge-base", "/kb/"),
        Shot("product-list", "/product/"),
        Shot("error-403", "/dashboard/"),
        Shot("error-404", "/tickets/999999/"),
    ],
    "eng2": [Shot("oncall-page", "find:/queues/oncall/|gateway error", focus=".esc-oncall")],
    "lead": [
        Shot("triage", "/triage/"),
        Shot("project-backlog", "/triage/backlog/"),
    ],
    "manager": [
        Shot("dashboard", "/dashboard/"),
        Shot("handover", "/reports/handover/"),
        Shot("escalation-review", "/escalation/review/"),
        Shot("sla-policies", "/sla/policies/"),
        Shot("sla-calendars", "/sla/calendars/"),
        Shot("playbook", "/playbook/"),
        Shot("kb-measures", "/kb/measures/"),
        Shot("kb-proposals", "/kb/proposals/"),
        Shot("chat-hooks", "/chat-hooks/"),
        Shot("mail-problems", "/mail/problems/"),
        Shot("mail-outgoing", "/mail/outgoing/"),
        Shot("mail-blocked", "/mail/blocked/"),
        Shot("mailboxes", "/mail/mailboxes/"),
        Shot("api-docs", "/api/docs/"),
        Shot("api-redoc", "/api/redoc/"),
    ],
    "customer": [
        Shot("portal", "/", narrow=True),
        Shot("portal-ticket", "find:/|Change the account owner email", narrow=True),
        Shot("portal-new-request", "/requests/new/", narrow=True),
    ],
    "admin": [Shot("admin", "/admin/")],
}
TICKET_LINK = re.compile(r"^/tickets/\d+/$")


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"could not sign in as {username} (is the demo seeded?)")


def resolve(page: Page, base: str, path: str) -> str | None:
    """A path, or the first link of a list screen's row (table row, list item) showing the given text —
    or, with no text, the first ticket link."""
    if not path.startswith("find:"):
        return path
    where, text = path.removeprefix("find:").split("|", 1)
    page.goto(base + where, wait_until="domcontentloaded")
    rows = page.locator("tr, li, article", has_text=text).all() if text else [page.locator("body")]
    for row in [*page.locator("a", has_text=text or "#").all(), *rows]:
        links = [row] if row.evaluate("e => e.tagName") == "A" else row.locator("a").all()
        for link in links:
            href = link.get_attribute("href") or ""
            if href.startswith("/") and href != where and (text or TICKET_LINK.match(href)):
                return href
    return None


def save(page: Page, target: Path) -> int:
    page.screenshot(path=str(target), full_page=True)
    with Image.open(target) as opened:
        image: Image.Image = opened.copy()
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_HEIGHT))
    image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target.stat().st_size


def shoot(browser: Browser, base: str, out: Path, username: str | None, shots: list[Shot]) -> list[str]:
    rows = []
    modes: tuple[tuple[int, Literal["light", "dark"]], ...] = (
        (WIDE, "light"),
        (NARROW, "light"),
        (WIDE, "dark"),
    )
    for width, scheme in modes:
        todo = [s for s in shots if (s.dark if scheme == "dark" else width == WIDE or s.narrow)]
        if not todo:
            continue
        context = browser.new_context(
            viewport={"width": width, "height": HEIGHT}, locale="en-GB", color_scheme=scheme
        )
        page = context.new_page()
        if username:
            sign_in(page, base, username)
        for shot in todo:
            path = resolve(page, base, shot.path)
            if path is None:
                rows.append(f"  MISSING {shot.name}: nothing matched {shot.path}")
                continue
            response = page.goto(base + path, wait_until="load")
            page.wait_for_timeout(600 if "/api/" in path else 400)  # htmx panels, live regions, API docs
            status = response.status if response else 0
            if shot.focus and page.locator(shot.focus).count():
                page.locator(shot.focus).first.scroll_into_view_if_needed()
            target = out / f"{shot.name}-{width}{'-dark' if scheme == 'dark' else ''}.png"
            size = save(page, target)
            scroll = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            flags = (f" HTTP {status}" if status != 200 else "") + (" SIDEWAYS-SCROLL" if scroll else "")
            rows.append(f"  {target.name:<40} {username or '-':<9} {path:<34} {size // 1024:>5} KB{flags}")
        context.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default=os.environ.get("BASE_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--only", help="comma-separated screen names")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(",")) if args.only else None
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    rows: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for username, shots in SCREENS.items():
            wanted = [s for s in shots if only is None or s.name in only]
            if wanted:
                rows += shoot(browser, args.base_url.rstrip("/"), out, username, wanted)
        browser.close()
    print("\n".join(rows))
    total = sum(f.stat().st_size for f in out.glob("*.png"))
    print(f"==> {len(list(out.glob('*.png')))} screenshots in {out}/, {total / 1_048_576:.1f} MB")
    return 1 if any("MISSING" in r or "HTTP 5" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

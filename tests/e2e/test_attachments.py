"""Playwright: formatted text and attachments in a real browser — XSS attempts stay inert (no dialog, no
script ran), and a screenshot pasted into the reply box arrives as a thumbnail in the workspace and in
the requester's portal."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from attachments.services import store_bytes
from tests.attachments.conftest import png_bytes
from tests.factories import MessageFactory, requester_user
from tickets.models import MessageFormat, Visibility

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


MARKDOWN_ATTACKS = "\n\n".join(
    [
        "**ESCALATED QUESTION 1** is bold",
        "<script>window.__xss = 'script'; alert('script')</script>",
        "<img src=x onerror=\"window.__xss = 'img'; alert('img')\">",
        "[click me](javascript:window.__xss='link';alert('link'))",
        "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        '<svg onload="alert(\'svg\')"><script>alert("svg")</script></svg>',
        "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    ]
)
HTML_ATTACK = (
    "<p>Hello from <b>mail</b></p><script>alert('mail script')</script>"
    "<img src=x onerror=\"alert('mail img')\"><a href=\"javascript:alert('mail link')\">mail link</a>"
    "<svg><script>alert('mail svg')</script></svg><style>body{display:none}</style>"
    "<a href=\"data:text/html,<script>alert('data')</script>\">data link</a>"
    "<div onmouseover=\"alert('hover')\">hover me</div>"
)


def _watch(page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def _poke(page) -> None:
    """Hover and click everything that looks clickable inside the conversation."""
    for link in page.locator(".conversation a").all():
        if (link.get_attribute("href") or "").startswith(("/", "http", "mailto")):
            continue
        link.click()
    page.locator("text=hover me").hover()
    page.wait_for_timeout(300)


def test_xss_in_markdown_and_html_mail_is_inert(browser_login, live_server, agent, ticket):
    MessageFactory(
        ticket=ticket,
        author_contact=None,
        author_user=agent,
        body=MARKDOWN_ATTACKS,
        format=MessageFormat.MARKDOWN,
    )
    MessageFactory(ticket=ticket, body="text part", body_html=HTML_ATTACK, format=MessageFormat.HTML)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'file\')"><script>alert(1)</script></svg>'
    store_bytes(ticket.messages.first(), filename="drawing.svg", content=svg, declared_type="image/svg+xml")
    customer = requester_user(ticket.requester)
    page = browser_login(agent, f"/tickets/{ticket.number}/")
    dialogs = _watch(page)
    page.reload()
    expect(page.locator(".conversation strong", has_text="ESCALATED QUESTION 1")).to_be_visible()
    expect(page.locator(".conversation")).to_contain_text("Hello from mail")
    _poke(page)
    assert page.evaluate("window.__xss") is None
    # The SVG is offered as a download, never rendered from our origin.
    with page.expect_download() as download:
        page.evaluate(
            CLICK_LINK_JS,
            page.locator(".attachment a", has_text="drawing.svg").get_attribute("href"),
        )
    assert download.value.suggested_filename == "drawing.svg"
    page.context.clear_cookies()
    browser_login(customer, f"/tickets/{ticket.number}/")
    expect(page.locator(".conversation")).to_contain_text("Hello from mail")
    _poke(page)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []


CLICK_LINK_JS = (
    "url => { const a = document.createElement('a'); a.href = url; document.body.append(a); a.click(); }"
)
PASTE_JS = """([b64, selector]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const file = new File([bytes], "image.png", { type: "image/png" });
  const data = new DataTransfer(); data.items.add(file);
  const box = document.querySelector(selector); box.focus();
  box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""


def _thumbnail_loaded(page) -> None:
    thumb = page.locator(".conversation .attachment.image img.thumb").last
    expect(thumb).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())


def test_pasted_screenshot_shows_as_thumbnail_in_workspace_and_portal(
    browser_login, live_server, agent, ticket
):
    from tickets import services

    services.update_ticket(ticket, None, tier="t1")  # past triage: answered publicly (issue #15 item 14)
    shot = base64.b64encode(png_bytes((800, 600), "blue")).decode()
    page = browser_login(agent, f"/tickets/{ticket.number}/")
    page.fill("#id_body", "Here is what I see on **our** side.")
    page.evaluate(PASTE_JS, [shot, "#id_body"])
    expect(page.locator("#ws-reply .file-chip")).to_contain_text("screenshot-")
    page.locator("#send").click()
    expect(page.locator(".flash, #ws-flash")).to_contain_text("Reply sent.")
    _thumbnail_loaded(page)
    expect(page.locator(".conversation strong", has_text="our")).to_be_visible()

    customer = requester_user(ticket.requester)
    page.context.clear_cookies()
    browser_login(customer, f"/tickets/{ticket.number}/")
    _thumbnail_loaded(page)
    # The requester answers with a screenshot of their own, pasted into the portal's reply box.
    page.fill("textarea[name=body]", "Mine looks like this.")
    page.evaluate(PASTE_JS, [shot, "textarea[name=body]"])
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".conversation .attachment.image img.thumb")).to_have_count(2)
    page.context.clear_cookies()
    browser_login(agent, f"/tickets/{ticket.number}/")
    expect(page.locator(".conversation .attachment.image img.thumb")).to_have_count(2)
    _thumbnail_loaded(page)
    internal = ticket.messages.filter(visibility=Visibility.INTERNAL).count()
    assert internal == 0

"""Issue #17 item 5: the API docs (Swagger UI and Redoc) render offline — every request stays on our
own server (drf-spectacular-sidecar's static files, no CDN, no web fonts), under the production
Content-Security-Policy (which also keeps Redoc's "by Redocly" footer logo from being fetched)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def enforced(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_POLICY}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None


@pytest.mark.parametrize(
    ("path", "title"),
    [("/api/docs/", ".swagger-ui .info .title"), ("/api/redoc/", "h1")],
)
def test_api_docs_render_without_external_requests(enforced, browser_login, live_server, agent, path, title):
    page = browser_login(agent, "/")
    outside: list[str] = []
    blocked: list[str] = []
    page.on(
        "requestfinished",  # reached a server (a request the policy blocks never leaves the browser)
        lambda r: None if r.url.startswith((live_server.url, "data:", "blob:")) else outside.append(r.url),
    )
    page.on(
        "requestfailed",
        lambda r: None if r.url.startswith((live_server.url, "data:", "blob:")) else blocked.append(r.url),
    )
    page.goto(f"{live_server.url}{path}")
    expect(page.locator(title).first).to_contain_text("Helpdesk API", timeout=30_000)
    assert outside == []
    assert all(b.endswith("/logo-mini.svg") for b in blocked), blocked  # only Redoc's footer logo, refused

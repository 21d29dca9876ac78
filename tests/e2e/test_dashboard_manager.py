"""A manager uses the SLA dashboard and the weekly handover report in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import TicketFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the compliance trend caches closed weeks


def test_manager_reads_the_dashboard_clicks_through_and_exports(transactional_db, browser_login, live_server):
    manager = UserFactory(username="boss", role="Manager")
    reds = [TicketFactory(tier="t2", status="open", sla_band="red") for _ in range(2)]
    green = TicketFactory(tier="t2", status="open", sla_band="green")
    page = browser_login(manager, "/dashboard/")

    expect(page.get_by_role("heading", name="SLA dashboard")).to_be_visible()
    t2 = page.locator('#bands-table tr[data-tier="t2"]')
    expect(t2.locator("td").nth(0)).to_have_text("1")
    expect(t2.locator(".red-count")).to_have_text("2")
    expect(page.locator("#bands-table thead")).to_contain_text("No band")
    expect(page.locator("svg.chart[role=img] title").first).to_have_text("Open tickets per tier by SLA band")

    with page.expect_download() as download:
        page.locator("#bands-h").locator("xpath=..").get_by_role("link", name=re.compile("CSV")).click()
    text = Path(download.value.path()).read_text()
    assert text.splitlines()[0].startswith("Tier,Green,Yellow,Red") and "T2,1,0,2" in text

    t2.locator("a.red-count").click()
    expect(page).to_have_url(re.compile(r"/queues/t2/\?band=red"))
    for t in reds:  # the queue shows exactly the red tickets
        expect(page.locator(f"#row-{t.number}")).to_be_visible()
    expect(page.locator(f"#row-{green.number}")).to_have_count(0)


def test_manager_navigates_handover_weeks(transactional_db, browser_login):
    manager = UserFactory(username="boss2", role="Manager")
    page = browser_login(manager, "/reports/handover/?week=2026-W47")

    expect(page.get_by_role("heading", name=re.compile("week 2026-W47"))).to_be_visible()
    page.click("#prev-week")
    expect(page).to_have_url(re.compile(r"week=2026-W46"))
    expect(page.get_by_role("heading", name=re.compile("week 2026-W46"))).to_be_visible()
    page.click("#next-week")
    expect(page.get_by_role("heading", name=re.compile("week 2026-W47"))).to_be_visible()
    page.fill("input[name=week]", "2026-W40")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name=re.compile("week 2026-W40"))).to_be_visible()
    # The form's pattern stops typos in the browser; a hand-edited URL gets the message and last week.
    response = page.goto(page.url.split("?")[0] + "?week=garbage")
    assert response is not None and response.status == 400
    expect(page.locator("#week-errors")).to_contain_text("not a week like 2026-W47")

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("celery_eager")]


def test_agent_signs_in_and_out(browser_login, live_server, agent):
    page = browser_login(agent)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("header.topbar")).to_contain_text("Agent")
    page.click("text=Sign out")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_wrong_password_shows_error(page, live_server, agent):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "agent")
    page.fill("#id_password", "nope")
    page.click("button[type=submit]")
    expect(page.locator(".errors")).to_contain_text("correct username and password")

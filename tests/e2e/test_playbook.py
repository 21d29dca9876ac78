"""The Playbook screen in a real browser: read the rules, tune a parameter (and a refused one), see the
audit entry, import an edited YAML after its diff preview."""

import pytest
import yaml
from playwright.sync_api import expect

from playbook import params, yamlio

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]


def test_manager_tunes_a_parameter_and_sees_the_audit_entry(browser_login, manager):
    page = browser_login(manager, "/playbook/")
    expect(page.locator("h1")).to_have_text("Playbook")
    expect(page.locator("#group-ownership")).to_contain_text("Work in progress is limited")
    expect(page.locator("#rule-pending")).to_contain_text("Pending: first reminder after")

    page.fill("#value-pending_reminder_days", "0")
    page.locator("#param-pending_reminder_days button").click()
    expect(page.locator("#error-pending_reminder_days")).to_contain_text("between 1 and 60")
    expect(page.locator("#value-pending_reminder_days")).to_have_value("0")

    page.fill("#value-wip_limit", "5")
    page.locator("#param-wip_limit button").click()
    expect(page.locator(".flash")).to_contain_text("WIP limit: 3 tickets → 5 tickets.")
    expect(page.locator("#value-wip_limit")).to_have_value("5")
    row = page.locator("#playbook-audit .audit-row").first
    expect(row).to_contain_text("WIP limit")
    expect(row).to_contain_text("3 tickets")
    expect(row).to_contain_text("5 tickets")
    expect(row).to_contain_text("Playbook screen")
    assert params.get("wip_limit") == 5


def test_manager_imports_a_yaml_file_after_its_diff(browser_login, manager):
    data = yaml.safe_load(yamlio.export_yaml())
    data["parameters"]["waiting_reopen_days"] = 12
    page = browser_login(manager, "/playbook/")
    page.click("#import-link")
    page.fill("#id_text", yaml.safe_dump(data))
    page.click("#preview-import")
    diff = page.locator("#import-diff .diff-row")
    expect(diff).to_have_count(1)
    expect(diff).to_contain_text("Waiting on customer → Open after")
    expect(diff).to_contain_text("12 days")
    assert params.get("waiting_reopen_days") == 10
    page.click("#apply-import")
    expect(page.locator(".flash")).to_contain_text("1 change(s) applied")
    expect(page.locator("#playbook-audit .audit-row").first).to_contain_text("YAML import")
    assert params.get("waiting_reopen_days") == 12


def test_agent_reads_but_cannot_tune(browser_login, agent):
    page = browser_login(agent, "/playbook/")
    expect(page.locator("#value-wip_limit")).to_have_text("3 tickets")
    expect(page.locator("#import-link")).to_have_count(0)

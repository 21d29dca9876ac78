"""Managers edit SLA policies on a screen: constant queries, validation, HTMX row swap, roles."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sla.models import SlaPolicy

pytestmark = pytest.mark.usefixtures("celery_eager")  # the tasks queued on commit run


@pytest.mark.django_db
def test_list_in_constant_queries_and_only_for_managers(manager, agent, login, django_assert_max_num_queries):
    client = login(manager)
    with django_assert_max_num_queries(9):  # 8 + the bell's unread count (cached for the next page)
        page = client.get("/sla/policies/")
    assert page.status_code == 200 and page.content.count(b'<tr id="policy-') == SlaPolicy.objects.count()
    SlaPolicy.objects.create(tier="t1", priority="urgent", green_seconds=60, yellow_seconds=120)
    with django_assert_max_num_queries(8):
        assert client.get("/sla/policies/").status_code == 200
    assert login(agent).get("/sla/policies/").status_code == 403


@pytest.mark.django_db
def test_edit_validates_and_saves(manager, login):
    client = login(manager)
    policy = SlaPolicy.objects.get(tier="t2", priority="")
    bad = client.post(f"/sla/policies/{policy.pk}/", {"green_hours": "8", "yellow_hours": "4"})
    assert bad.status_code == 400 and b"Yellow cannot be shorter than green" in bad.content
    assert SlaPolicy.objects.get(pk=policy.pk).yellow_seconds == 16 * 3600
    ok = client.post(f"/sla/policies/{policy.pk}/", {"green_hours": "4", "yellow_hours": "12.5"})
    assert ok.status_code == 302
    policy.refresh_from_db()
    assert (policy.green_seconds, policy.yellow_seconds) == (4 * 3600, 45000)
    row = client.post(
        f"/sla/policies/{policy.pk}/", {"green_hours": "5", "yellow_hours": "12.5"}, HTTP_HX_REQUEST="true"
    )
    assert row.status_code == 200 and b"Saved." in row.content and b"<html" not in row.content


@pytest.mark.django_db
def test_manager_names_the_tier_lead_told_on_red(manager, triage_lead, login):
    client = login(manager)
    policy = SlaPolicy.objects.get(tier="t1", priority="")
    ok = client.post(
        f"/sla/policies/{policy.pk}/", {"green_hours": "2", "yellow_hours": "8", "lead": triage_lead.pk}
    )
    assert ok.status_code == 302
    policy.refresh_from_db()
    assert policy.lead == triage_lead
    bad = client.post(f"/sla/policies/{policy.pk}/", {"green_hours": "2", "yellow_hours": "8", "lead": 99999})
    assert bad.status_code == 400
    policy.refresh_from_db()
    assert policy.lead == triage_lead


@pytest.mark.e2e
def test_manager_edits_a_policy_in_the_browser(browser_login, live_server, manager, transactional_db):
    policy = SlaPolicy.objects.get(tier="t3", priority="")
    page = browser_login(manager, "/sla/policies/")
    row = page.locator(f"#policy-{policy.pk}")
    row.locator("input[name=yellow_hours]").fill("4")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#policy-{policy.pk}")).to_contain_text("Yellow cannot be shorter than green")
    page.locator(f"#policy-{policy.pk} input[name=yellow_hours]").fill("20")
    page.locator(f"#policy-{policy.pk}").get_by_role("button", name="Save").click()
    expect(page.locator(f"#policy-{policy.pk}")).to_contain_text("Saved.")
    policy.refresh_from_db()
    assert policy.yellow_seconds == 20 * 3600


def test_a_stale_policy_edit_is_409_with_the_typed_values_kept(manager, login):
    """Issue #15 item 9: two managers edit the same policy; the second save, based on the old version, is
    refused with 409 and keeps what was typed, armed to overwrite on purpose."""
    from sla import services

    policy = SlaPolicy.objects.get(tier="t2", priority="")
    client = login(manager)
    page = client.get("/sla/policies/").content.decode()
    assert f'name="version" value="{policy.version}"' in page
    read = policy.version
    policy.green_seconds = 7200
    services.save_policy(policy, expected_version=read)  # the other manager, meanwhile
    data = {"green_hours": "3", "yellow_hours": "9", "version": read}
    stale = client.post(f"/sla/policies/{policy.pk}/", data)
    html = stale.content.decode()
    assert stale.status_code == 409 and "Another manager changed this policy" in html
    assert 'value="3"' in html and f'name="version" value="{read + 1}"' in html
    assert SlaPolicy.objects.get(pk=policy.pk).green_seconds == 7200
    again = client.post(f"/sla/policies/{policy.pk}/", {**data, "version": read + 1})
    assert again.status_code == 302 and SlaPolicy.objects.get(pk=policy.pk).green_seconds == 3 * 3600

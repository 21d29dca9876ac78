"""The Playbook screen: staff read it, managers tune it (errors keep the typed value), export/import."""

import pytest
import yaml

from playbook import params, services, yamlio
from tests.factories import ContactFactory
from tickets import services as tickets
from tickets.models import Tier

pytestmark = pytest.mark.django_db


def test_agents_read_the_playbook_without_forms(login, agent):
    response = login(agent).get("/playbook/")
    assert response.status_code == 200
    body = response.content.decode()
    for group in (
        "Intake and triage",
        "Ownership",
        "Keeping the requester informed",
        "Statuses and timers",
        "SLA",
        "Escalation",
        "Known issues",
        "On-call",
        "Routing",
        "Docs",
        "Handover",
    ):
        assert group in body
    assert 'id="value-wip_limit">3 tickets<' in body
    assert "/playbook/parameters/" not in body
    assert "(002)" not in body and "(004)" not in body


def test_requesters_and_anonymous_are_kept_out(client, login, contact):
    assert client.get("/playbook/").status_code == 302
    from tests.factories import UserFactory

    user = UserFactory()
    contact.user = user
    contact.save()
    assert login(user).get("/playbook/").status_code == 403


def test_only_managers_tune(login, agent):
    assert login(agent).post("/playbook/parameters/wip_limit/", {"value": "5"}).status_code == 403
    assert params.get("wip_limit") == 3


def test_manager_tunes_and_sees_the_audit_entry(login, manager):
    client = login(manager)
    response = client.post("/playbook/parameters/wip_limit/", {"value": "4"}, follow=True)
    body = response.content.decode()
    assert "WIP limit: 3 tickets → 4 tickets." in body
    assert 'class="audit-row"' in body and "Playbook screen" in body
    assert params.get("wip_limit") == 4


def test_bad_value_rerenders_with_the_error_and_the_typed_text(login, manager):
    response = login(manager).post("/playbook/parameters/pending_reminder_days/", {"value": "0"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-pending_reminder_days"' in body and "between 1 and 60" in body
    assert 'value="0"' in body
    assert params.get("pending_reminder_days") == 3


def test_figures_count_this_weeks_actions_and_link_the_offenders(login, manager, triage_lead):
    from escalation.services import escalate

    contact = ContactFactory()
    t = tickets.open_ticket(contact, "Export fails", "CSV export is empty")
    t = tickets.update_ticket(t, triage_lead, tier=Tier.T1)
    escalate.escalate_up(
        t,
        triage_lead,
        to_tier=Tier.T2,
        questions="Why empty?",
        not_a_known_issue=True,
        skip_transition_comment=True,
    )
    body = login(manager).get("/playbook/").content.decode()
    assert f'href="/tickets/{t.number}/">#{t.number}</a>' in body
    assert "without a transition comment" in body


def test_the_screen_costs_a_fixed_number_of_queries(
    login, manager, triage_lead, django_assert_max_num_queries
):
    client = login(manager)
    client.get("/playbook/")
    for n in range(5):
        t = tickets.open_ticket(ContactFactory(), f"Ticket {n}", "Body")
        tickets.update_ticket(t, triage_lead, tier=Tier.T1, assignee=triage_lead)
        services.set_param("wip_limit", 4 + n, manager)
    with django_assert_max_num_queries(25):
        assert client.get("/playbook/").status_code == 200


def test_export_and_import_screens(login, manager):
    client = login(manager)
    exported = client.get("/playbook/export.yaml")
    assert exported["Content-Disposition"] == 'attachment; filename="playbook.yaml"'
    data = yaml.safe_load(exported.content)
    data["parameters"]["wip_limit"] = 8
    text = yaml.safe_dump(data)
    preview = client.post("/playbook/import/", {"text": text})
    assert preview.status_code == 200
    assert "WIP limit" in preview.content.decode() and "8 tickets" in preview.content.decode()
    assert params.get("wip_limit") == 3
    client.post("/playbook/import/", {"text": text, "apply": "yes"})
    assert params.get("wip_limit") == 8
    assert yamlio.plan_import(yamlio.export_yaml()).differences == []


def test_bad_import_shows_the_error_and_keeps_the_text(login, manager):
    text = "parameters:\n  wip_limit: 0\n"
    response = login(manager).post("/playbook/import/", {"text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert "WIP limit (wip_limit): must be between 1 and 50" in body
    assert "wip_limit: 0" in body
    assert params.get("wip_limit") == 3


def test_open_links_only_to_screens_the_reader_may_open(login, agent, triage_lead, manager):
    body = login(agent).get("/playbook/").content.decode()
    for forbidden in (
        "/triage/",
        "/sla/policies/",
        "/dashboard/",
        "/escalation/review/",
        "/reports/handover/",
    ):
        assert f'href="{forbidden}">Open<' not in body
    assert 'href="/known-issues/">Open<' in body
    lead_body = login(triage_lead).get("/playbook/").content.decode()
    assert 'href="/triage/">Open<' in lead_body and 'href="/dashboard/">Open<' not in lead_body
    manager_body = login(manager).get("/playbook/").content.decode()
    assert 'href="/dashboard/">Open<' in manager_body and 'href="/reports/handover/">Open<' in manager_body

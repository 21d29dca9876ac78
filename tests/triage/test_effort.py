"""The effort rule: work estimated over the limit, not arranged beforehand, waits for the Operations Lead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from escalation.models import TierAssignment
from playbook import selectors as playbook_selectors
from playbook import services as playbook_services
from tests.factories import UserFactory
from tickets.errors import InvalidInput, StaleTicket
from tickets.models import Notification, Tier
from triage import effort
from triage.models import EffortReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_on_rota(db):
    lead = UserFactory(username="ops", role="Triage lead", first_name="Olive", last_name="Ops")
    today = timezone.localdate()
    TierAssignment.objects.create(
        user=lead,
        tier=Tier.TRIAGE,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=5),
    )
    return lead


def _notices(reason):
    return list(Notification.objects.filter(reason=reason).values_list("recipient_user__username", flat=True))


def test_over_the_limit_raises_once_with_the_lead_on_rota(ticket, agent, lead_on_rota, triage_lead):
    review = effort.estimate_effort(ticket, agent, "4.5", note="Needs a data migration")
    assert review is not None and review.awaiting and review.estimate_days == 4.5
    ticket.refresh_from_db()
    assert effort.AWAITING_TAG in ticket.tags.values_list("name", flat=True)
    # Only the lead on today's rota, not every triage lead.
    assert _notices("effort_review") == ["ops"]
    # Estimating again while it waits: the estimate changes, nobody is told twice (idempotent).
    effort.estimate_effort(ticket, agent, "6")
    assert _notices("effort_review") == ["ops"]
    assert EffortReview.objects.get(ticket=ticket).estimate_days == 6
    notes = list(ticket.messages.filter(visibility="internal").values_list("body", flat=True))
    assert any("over the 3-day limit: raised with the Operations Lead" in n for n in notes)


def test_under_the_limit_or_arranged_raises_nothing(ticket, agent, lead_on_rota):
    assert effort.estimate_effort(ticket, agent, "3") is None
    assert effort.estimate_effort(ticket, agent, "10", arranged=True) is None
    assert not EffortReview.objects.exists()
    assert _notices("effort_review") == []


def test_without_a_rota_every_triage_lead_is_told(ticket, agent, triage_lead):
    effort.estimate_effort(ticket, agent, "5")
    assert _notices("effort_review") == ["lead"]


def test_the_limit_is_the_playbook_parameter(ticket, agent, manager, lead_on_rota):
    playbook_services.set_param("effort_limit_days", "10", manager)
    assert effort.estimate_effort(ticket, agent, "5") is None
    assert effort.estimate_effort(ticket, agent, "11").awaiting


@pytest.mark.parametrize("raw", ["", "abc", "0", "-2", "400", "NaN", "Infinity", "1e9"])
def test_bad_estimates_are_refused_and_change_nothing(ticket, agent, raw):
    with pytest.raises(InvalidInput) as exc:
        effort.estimate_effort(ticket, agent, raw)
    assert exc.value.field == "estimate_days"
    assert not EffortReview.objects.exists()
    assert not ticket.events.filter(verb="effort_estimated").exists()


def test_a_stale_version_is_refused(ticket, agent):
    with pytest.raises(StaleTicket):
        effort.estimate_effort(ticket, agent, "5", expected_version=ticket.version + 5)


def test_the_lead_decides_tag_comes_off_and_the_agent_is_told(ticket, agent, lead_on_rota):
    effort.estimate_effort(ticket, agent, "5")
    with pytest.raises(InvalidInput):
        effort.decide_effort(ticket, agent, "go_ahead")  # an agent cannot decide
    review = effort.decide_effort(ticket, lead_on_rota, "arrange", note="Call them first")
    assert not review.awaiting and review.decision == "arrange" and review.decided_by == lead_on_rota
    ticket.refresh_from_db()
    assert effort.AWAITING_TAG not in ticket.tags.values_list("name", flat=True)
    assert _notices("effort_decided") == ["agent"]
    with pytest.raises(InvalidInput):  # nothing left to decide
        effort.decide_effort(ticket, lead_on_rota, "go_ahead")
    # A later, bigger estimate raises it again.
    assert effort.estimate_effort(ticket, agent, "8").awaiting
    assert len(_notices("effort_review")) == 2


def test_the_playbook_screen_counts_it(ticket, agent, lead_on_rota, login):
    effort.estimate_effort(ticket, agent, "5")
    fig = playbook_selectors.week_figures()
    assert fig["effort_raised"] == 1 and fig["effort_awaiting"] == 1
    effort.decide_effort(ticket, lead_on_rota, "go_ahead")
    fig = playbook_selectors.week_figures()
    assert fig["effort_decided"] == 1 and fig["effort_awaiting"] == 0
    body = login(agent).get("/playbook/").content.decode()
    assert "Big pieces of work go to the Operations Lead" in body
    assert 'id="value-effort_limit_days">3 days<' in body


def test_workspace_panel_and_views(ticket, agent, lead_on_rota, login):
    client = login(agent)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'id="effort-form"' in page and "Estimate the effort" in page
    bad = client.post(
        f"/triage/effort/{ticket.number}/", {"version": ticket.version, "estimate_days": "lots"}
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Give the estimate as a number of days" in body and 'value="lots"' in body
    ok = client.post(f"/triage/effort/{ticket.number}/", {"version": ticket.version, "estimate_days": "5"})
    assert ok.status_code == 302
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'id="effort-awaiting"' in page and 'id="effort-decide-form"' not in page  # agents cannot decide
    # The lead sees it on the triage screen and decides in the workspace.
    lead = login(lead_on_rota)
    assert f"#{ticket.number}" in lead.get("/triage/").content.decode().split('id="effort-awaiting-list"')[1]
    assert 'id="effort-decide-form"' in lead.get(ticket.get_absolute_url()).content.decode()
    assert lead.post(f"/triage/effort/{ticket.number}/decide/", {"decision": "nope"}).status_code == 400
    done = lead.post(f"/triage/effort/{ticket.number}/decide/", {"decision": "go_ahead"})
    assert done.status_code == 302
    assert not EffortReview.objects.get(ticket=ticket).awaiting


def test_requesters_cannot_estimate(ticket, client):
    from tests.factories import requester_user

    client.force_login(requester_user(ticket.requester))
    response = client.post(
        f"/triage/effort/{ticket.number}/", {"version": ticket.version, "estimate_days": "5"}
    )
    assert response.status_code in (302, 403, 404)
    assert not EffortReview.objects.exists()

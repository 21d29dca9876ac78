"""The SLA panel in the workspace: its form is rendered with the sidebar from context the view builds (no
lazy load, no query-running template tag) and answers like the core sidebar."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest
from django.utils import timezone

from tickets import services


@pytest.fixture
def owned(db, contact, agent):
    ticket = services.open_ticket(contact, "Sync broken", "Calendar sync stopped.")
    return services.take(ticket, agent)


def test_the_panel_form_comes_with_the_workspace(login, agent, owned):
    assert importlib.util.find_spec("sla.templatetags") is None
    html = login(agent).get(owned.get_absolute_url()).content.decode()
    panel = html[html.index('id="sla-commitment-panel"') :]
    assert 'id="sla-commit"' in panel and 'hx-trigger="load"' not in panel
    assert 'hx-swap="none"' in panel[: panel.index("</section>")]
    assert 'name="next_update"' in html  # the reply form's picks, from the same context


def test_a_promise_from_the_panel_answers_with_the_workspace_regions(login, agent, owned):
    client = login(agent)
    url = f"/sla/tickets/{owned.number}/commitment/"
    bad = client.post(url, {"due_at": "2020-01-01T10:00"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="ws-sidebar" class="ws-side" hx-swap-oob="true"' in bad and "in the future" in bad
    assert 'value="2020-01-01T10:00"' in bad  # the typed time is kept
    soon = timezone.localtime(timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"due_at": soon}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="ws-header"' in html and "Commitment saved." in html
    owned.refresh_from_db()
    assert owned.commitment_due_at is not None

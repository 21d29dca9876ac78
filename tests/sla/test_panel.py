"""The SLA in the workspace: the reply form's picks come from context the view builds (no query-running
template tag)."""

from __future__ import annotations

import importlib.util

import pytest

from tickets import services


@pytest.fixture
def owned(db, contact, agent):
    ticket = services.open_ticket(contact, "Sync broken", "Calendar sync stopped.")
    return services.take(ticket, agent)


def test_the_reply_forms_picks_come_from_the_view(login, agent, owned):
    assert importlib.util.find_spec("sla.templatetags") is None
    html = login(agent).get(owned.get_absolute_url()).content.decode()
    assert 'name="next_update"' in html and "10:00 (" in html

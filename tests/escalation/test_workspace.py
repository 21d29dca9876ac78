"""Our panels appear in the core ticket workspace (tickets.panels.register_panel)."""

from __future__ import annotations

import pytest

from escalation.receivers import PANELS
from tickets.models import Tier


def test_panels_registered_and_rendered(login, agent, ticket):
    panels = pytest.importorskip("tickets.panels")
    assert all(p in panels.workspace_panels() for p in PANELS)
    from tickets import services as core

    core.update_ticket(ticket, None, tier=Tier.T2)
    html = login(agent).get(ticket.get_absolute_url()).content.decode()
    assert "Escalate up" in html and "ESCALATED QUESTION 1" in html and "Known issue" in html
    assert f'name="next" value="{ticket.get_absolute_url()}"' in html

"""Our panels appear in the core ticket workspace (listed in helpdesk/workspace.py)."""

from __future__ import annotations

from tickets import extensions
from tickets.models import Tier

PANELS = [
    "escalation/panels/timebox.html",
    "escalation/panels/oncall_ack.html",
    "escalation/panels/escalate_up.html",
    "escalation/panels/escalate_down.html",
    "escalation/panels/known_issue.html",
    "escalation/panels/routing.html",
]


def test_panels_registered_and_rendered(login, agent, ticket):
    installed = [p.template for p in extensions.current().panels]
    assert all(p in installed for p in PANELS)
    from tickets import services as core

    core.update_ticket(ticket, None, tier=Tier.T2)
    html = login(agent).get(ticket.get_absolute_url()).content.decode()
    assert "Escalate up" in html and "ESCALATED QUESTION 1" in html and "Known issue" in html
    assert f'name="next" value="{ticket.get_absolute_url()}"' in html


def test_time_box_counts_from_when_the_owner_took_the_ticket_in_this_tier(login, agent, ticket):
    """004 T1: 5 min to find the solution + 5 to write it, then suggest escalating — measured on the server
    from the later of entering the tier and taking the ticket, whatever tab or browser the agent uses."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from tickets import services as core

    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        core.update_ticket(ticket, None, tier=Tier.T1)
    with time_machine.travel(t0 + dt.timedelta(minutes=3), tick=False):
        core.update_ticket(ticket, agent, assignee=agent)
    c = login(agent)
    with time_machine.travel(t0 + dt.timedelta(minutes=7), tick=False):
        html = c.get(f"/tickets/{ticket.number}/").content.decode()
    assert "You have had it 4 min in T1." in html and 'class="meta esc-advice" hidden' in html
    with time_machine.travel(t0 + dt.timedelta(minutes=14), tick=False):
        html = c.get(f"/tickets/{ticket.number}/").content.decode()
    assert "You have had it 11 min in T1." in html and 'class="meta esc-advice">' in html


def test_queues_open_on_the_tier_the_agent_is_on_the_rota_for(login, agent):
    from django.utils import timezone

    from escalation.models import TierAssignment

    c = login(agent)
    assert c.get("/queues/").status_code == 200  # no rota: All open
    today = timezone.localdate()
    TierAssignment.objects.create(user=agent, tier=Tier.T2, starts_on=today, ends_on=today)
    response = c.get("/queues/")
    assert response.status_code == 302 and response["Location"] == "/queues/t2/"

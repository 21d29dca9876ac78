"""The escalation panels inside the core workspace: they answer like the core sidebar (the workspace's
``respond``), invalid input comes back inside the workspace with the typed text kept, their context is
built by the view and their CSS/JS is loaded once per page."""

from __future__ import annotations

import importlib.util

from django.urls import reverse

from tickets import services as core
from tickets.models import Tier

HX = {"HTTP_HX_REQUEST": "true"}


def _in_t1(ticket):
    core.update_ticket(ticket, None, tier=Tier.T1)
    ticket.refresh_from_db()
    return ticket


def _names(response) -> set[str]:
    return {t.name for t in response.templates if t.name}


def test_invalid_escalation_re_renders_inside_the_workspace(login, agent, ticket):
    ticket = _in_t1(ticket)
    response = login(agent).post(
        reverse("escalation:escalate_up", args=[ticket.number]),
        {"to_tier": "t2", "findings": "Feed fetch fails since Monday.", "version": ticket.version},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "tickets/workspace.html" in _names(response)
    assert "escalation/ticket.html" not in _names(response)
    assert "Write at least one escalated question" in html
    assert "Feed fetch fails since Monday." in html  # what the agent typed is kept
    assert 'id="ws-sidebar"' in html and 'id="ws-reply' in html  # the whole workspace, not a bare page
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T1


def test_invalid_escalation_over_htmx_swaps_the_sidebar_with_the_errors(login, agent, ticket):
    ticket = _in_t1(ticket)
    response = login(agent).post(
        reverse("escalation:escalate_up", args=[ticket.number]),
        {"to_tier": "t2", "findings": "Half-written findings", "version": ticket.version},
        **HX,
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps 2xx answers only; the errors are in the swap
    assert "tickets/partials/ws_update.html" in _names(response)
    assert 'id="ws-sidebar" class="ws-side" hx-swap-oob="true"' in html
    assert "Write at least one escalated question" in html and "Half-written findings" in html
    assert "Please correct the errors." in html


def test_escalation_over_htmx_answers_like_the_core_sidebar(login, agent, ticket):
    ticket = _in_t1(ticket)
    response = login(agent).post(
        reverse("escalation:escalate_up", args=[ticket.number]),
        {"to_tier": "t2", "question_1": "Why?", "version": ticket.version},
        **HX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "tickets/partials/ws_update.html" in _names(response)
    for region in ("ws-header", "ws-sidebar", "ws-history"):
        assert f'id="{region}"' in html
    assert "Escalated to T2" in html
    ticket.refresh_from_db()
    assert ticket.tier == Tier.T2


def test_failed_link_over_htmx_keeps_the_number_in_its_panel(login, agent, ticket):
    response = login(agent).post(reverse("escalation:link", args=[ticket.number]), {"known_issue": 999}, **HX)
    html = response.content.decode()
    assert "Known issue #999 does not exist" in html and 'value="999"' in html


def test_panel_forms_post_with_htmx_in_the_workspace_only(login, agent, ticket):
    ticket = _in_t1(ticket)
    c = login(agent)
    up = reverse("escalation:escalate_up", args=[ticket.number])
    workspace = c.get(ticket.get_absolute_url()).content.decode()
    assert f'hx-post="{up}"' in workspace
    standalone = c.get(reverse("escalation:ticket", args=[ticket.number])).content.decode()
    assert f'action="{up}"' in standalone and f'hx-post="{up}"' not in standalone


def test_panel_context_comes_from_the_view_and_assets_load_once(login, agent, ticket):
    assert importlib.util.find_spec("escalation.templatetags") is None  # no query-running template tags
    ticket = _in_t1(ticket)
    c = login(agent)
    page = c.get(ticket.get_absolute_url()).content.decode()
    assert page.count("js/escalation.js") == 1 and page.count("css/escalation.css") == 1
    swap = c.post(
        reverse("escalation:escalate_up", args=[ticket.number]), {"version": ticket.version}, **HX
    ).content.decode()
    assert "escalation.js" not in swap and "escalation.css" not in swap  # not again on every swap

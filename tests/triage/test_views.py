from __future__ import annotations

import pytest
from django.urls import reverse

from tickets import services as ticket_services
from tickets.models import Kind, Message, Ticket, TicketEvent, Tier
from triage import selectors, services
from triage.models import AuthorisationRequest

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _decide(number: int, action: str) -> str:
    return reverse("triage:decide", args=[number, action])


def test_agents_get_403_and_anonymous_users_go_to_login(client, login, agent, open_ticket):
    ticket = open_ticket()
    assert client.get(reverse("triage:queue")).status_code == 302
    c = login(agent)
    assert c.get(reverse("triage:queue")).status_code == 403
    assert c.post(_decide(ticket.number, "approve"), {"tier": "t1"}).status_code == 403
    assert (
        c.post(
            reverse("triage:bulk"), {"op": "approve", "tier": "t1", "tickets": [ticket.number]}
        ).status_code
        == 403
    )
    ticket.refresh_from_db()
    assert not ticket.triage_decision


def test_queue_lists_undecided_triage_tickets_oldest_first(login, triage_lead, open_ticket):
    first, _, decided = open_ticket("First one"), open_ticket("Second one"), open_ticket("Decided")
    services.triage_approve(ticket=decided, actor=triage_lead, tier=Tier.T1)
    html = login(triage_lead).get(reverse("triage:queue")).content.decode()
    assert html.index("First one") < html.index("Second one") and "Decided" not in html
    assert f'id="triage-row-{first.number}"' in html


@pytest.mark.parametrize("rows", [2, 25])
def test_queue_has_a_constant_number_of_queries(
    login, triage_lead, open_ticket, authorised, rows, django_assert_max_num_queries
):
    for i in range(rows):
        t = open_ticket(f"Ticket {i} calendar sync", kind=Kind.CHANGE_REQUEST if i % 2 else Kind.QUESTION)
        ticket_services.add_requester_reply(t, t.requester, "more detail")
    c = login(triage_lead)
    # session, user, role groups, rows, authorised contacts, canned answers, similar pool, age bands,
    # staff, teams (+1 savepoint slack), the bell's unread count
    with django_assert_max_num_queries(13):
        response = c.get(reverse("triage:queue"))
    assert response.content.decode().count('class="triage-row') == rows


def test_queue_is_keyset_paginated(login, triage_lead, open_ticket, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    tickets = [open_ticket(f"Paged {i}") for i in range(3)]
    c = login(triage_lead)
    page = selectors.queue_page(limit=2)
    assert [t.number for t in page.rows] == [tickets[0].number, tickets[1].number]
    html = c.get(reverse("triage:queue"), {"after": page.next_after}).content.decode()
    assert (
        f'id="triage-row-{tickets[2].number}"' in html and f'id="triage-row-{tickets[0].number}"' not in html
    )


def test_htmx_approve_swaps_the_row_for_a_confirmation(login, triage_lead, open_ticket):
    ticket = open_ticket()
    response = login(triage_lead).post(_decide(ticket.number, "approve"), {"tier": "t2"}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith(
        f'<tr id="triage-row-{ticket.number}" class="triage-done'
    )
    assert "approved for T2" in html
    assert Ticket.objects.get(pk=ticket.pk).tier == Tier.T2


def test_plain_post_redirects_back_to_the_queue(login, triage_lead, open_ticket):
    ticket = open_ticket()
    response = login(triage_lead).post(_decide(ticket.number, "approve"), {"tier": "t1"})
    assert response.status_code == 302 and response.url == reverse("triage:queue")


@pytest.mark.parametrize(
    "action,data,field_error",
    [
        ("approve", {"tier": "t9"}, "Unknown tier t9."),
        ("approve", {}, "Choose the tier to approve to."),
        ("project", {"message": "  "}, "Write the message to the requester."),
        (
            "chargeable",
            {"explanation": "Out of scope", "estimate": "lots"},
            "The estimate must be a number of hours",
        ),
        ("chargeable", {"explanation": "Out of scope"}, "Give a rough estimate in hours."),
        ("reroute", {"reason": "wrong team"}, "Choose a team or a person to reroute to."),
        ("answer", {"body": ""}, "Write the answer to send."),
    ],
)
def test_bad_input_shows_field_errors_in_the_row_and_stores_nothing(
    login, triage_lead, open_ticket, action, data, field_error
):
    ticket = open_ticket()
    before = TicketEvent.objects.count(), Message.objects.count()
    c = login(triage_lead)
    response = c.post(_decide(ticket.number, action), data, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and f'id="triage-row-{ticket.number}"' in html and "triage-row" in html
    assert field_error in html and 'class="errorlist' in html
    plain = c.post(_decide(ticket.number, action), data)
    assert plain.status_code == 400 and field_error in plain.content.decode()
    assert (TicketEvent.objects.count(), Message.objects.count()) == before
    assert not Ticket.objects.get(pk=ticket.pk).triage_decision


def test_unauthorised_change_request_is_flagged_and_approve_shows_the_error(
    login, triage_lead, open_ticket, authorised
):
    ticket = open_ticket("Change the bank details", kind=Kind.CHANGE_REQUEST)
    c = login(triage_lead)
    html = c.get(reverse("triage:queue")).content.decode()
    assert "Not an authorised contact" in html  # the flag on the row; the forms come when it is opened
    html = c.get(reverse("triage:row", args=[ticket.number]), **HX).content.decode()
    assert "Ask to confirm" in html and authorised.name in html
    response = c.post(_decide(ticket.number, "approve"), {"tier": "t1"}, **HX)
    assert "must confirm this change request" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).tier == Tier.TRIAGE
    response = c.post(_decide(ticket.number, "authorisation"), {"contact": authorised.pk}, **HX)
    assert "Waiting for an authorised contact to confirm" in response.content.decode()
    assert AuthorisationRequest.objects.filter(ticket=ticket, requested_from=authorised).exists()


def test_override_is_for_managers_only(login, triage_lead, manager, open_ticket):
    ticket = open_ticket(kind=Kind.CHANGE_REQUEST)
    assert login(triage_lead).post(_decide(ticket.number, "override"), {"reason": "x"}).status_code == 403
    c = login(manager)
    response = c.post(_decide(ticket.number, "override"), {"reason": ""}, **HX)
    assert "Give the reason" in response.content.decode()
    response = c.post(_decide(ticket.number, "override"), {"reason": "Phoned the owner"}, **HX)
    assert "Authorisation overridden by a manager" in response.content.decode()


def test_already_triaged_answers_in_the_row(login, triage_lead, manager, open_ticket):
    ticket = open_ticket()
    services.triage_approve(ticket=ticket, actor=manager, tier=Tier.T1)
    response = login(triage_lead).post(
        _decide(ticket.number, "chargeable"), {"explanation": "x", "estimate": "3"}, **HX
    )
    html = response.content.decode()
    assert "triage-warning" in html and f"Already triaged by {manager.get_full_name()}" in html
    assert not Ticket.objects.get(pk=ticket.pk).chargeable


def test_bulk_approve_and_priority(login, triage_lead, open_ticket):
    a, b = open_ticket("A"), open_ticket("B")
    c = login(triage_lead)
    response = c.post(
        reverse("triage:bulk"), {"op": "priority", "priority": "urgent", "tickets": [a.number, b.number]}
    )
    assert response.status_code == 302
    assert set(Ticket.objects.values_list("priority", flat=True)) == {"urgent"}
    c.post(reverse("triage:bulk"), {"op": "approve", "tier": "t1", "tickets": [a.number, b.number]})
    assert set(Ticket.objects.values_list("tier", flat=True)) == {"t1"}
    response = c.post(reverse("triage:bulk"), {"op": "approve", "tickets": [a.number]}, follow=True)
    assert "Choose the tier" in response.content.decode()


def test_backlog_banner_above_threshold(login, triage_lead, open_ticket, monkeypatch):
    monkeypatch.setattr(selectors, "BACKLOG_THRESHOLD", 1)
    open_ticket("A"), open_ticket("B")
    html = login(triage_lead).get(reverse("triage:queue")).content.decode()
    assert "backlog-banner" in html


def test_priority_review_flag_after_requester_reply(login, triage_lead, open_ticket):
    ticket = open_ticket()
    ticket_services.add_requester_reply(ticket, ticket.requester, "It is getting worse")
    c = login(triage_lead)
    assert "Review priority" in c.get(reverse("triage:queue")).content.decode()
    services.set_priority(ticket=ticket, actor=triage_lead, priority="high")
    assert "Review priority" not in c.get(reverse("triage:queue")).content.decode()


def test_split_page(login, agent, open_ticket):
    ticket = open_ticket()
    message = ticket_services.add_requester_reply(ticket, ticket.requester, "Unrelated: how do I export?")
    c = login(agent)
    url = reverse("triage:split", args=[ticket.number])
    assert "Unrelated: how do I export?" in c.get(url).content.decode()
    bad = c.post(url, {"message": message.pk, "subject": ""})
    assert bad.status_code == 400 and "Give the new ticket its own title." in bad.content.decode()
    response = c.post(url, {"message": message.pk, "subject": "Export", "kind": "question"})
    new = Ticket.objects.get(split_from=ticket)
    assert response.status_code == 302 and response.url == new.get_absolute_url()


def test_confirmation_link_works_without_signing_in(client, open_ticket, authorised, triage_lead):
    ticket = open_ticket(kind=Kind.CHANGE_REQUEST)
    req = services.request_authorisation(ticket=ticket, actor=triage_lead, contact=authorised)
    url = reverse("triage:authorise", args=[req.token])
    assert "Confirm the change request" in client.get(url).content.decode()
    response = client.post(url, {"answer": "confirm"})
    assert response.status_code == 200 and "you confirmed" in response.content.decode()
    assert client.get(reverse("triage:authorise", args=["bogus"])).status_code == 404


def test_backlog_page(login, triage_lead, open_ticket):
    ticket = open_ticket("Big rebuild")
    services.triage_project(ticket=ticket, actor=triage_lead, message="Project work")
    assert "Big rebuild" in login(triage_lead).get(reverse("triage:backlog")).content.decode()


def test_workspace_offers_the_split_panel(login, agent, open_ticket):
    from tickets import extensions

    assert "triage/panels/split.html" in [p.template for p in extensions.current().panels]
    ticket = open_ticket()
    html = login(agent).get(ticket.get_absolute_url()).content.decode()
    assert reverse("triage:split", args=[ticket.number]) in html


def test_one_click_priority_in_the_row_clears_the_review_flag(login, triage_lead, open_ticket):
    ticket = open_ticket()
    ticket_services.add_requester_reply(ticket, ticket.requester, "Now it is urgent")
    c = login(triage_lead)
    response = c.post(_decide(ticket.number, "priority"), {"priority": "urgent"}, **HX)
    html = response.content.decode()
    assert "Priority reviewed." in html and "Review priority" not in html
    assert Ticket.objects.get(pk=ticket.pk).priority == "urgent"
    assert (
        "Unknown priority"
        in c.post(_decide(ticket.number, "priority"), {"priority": "meh"}, **HX).content.decode()
    )


def test_the_dashboards_band_click_through_narrows_the_triage_queue(login, triage_lead, open_ticket):
    late, fresh = open_ticket("Late one"), open_ticket("Fresh one")
    Ticket.objects.filter(pk=late.pk).update(sla_band="red")
    Ticket.objects.filter(pk=fresh.pk).update(sla_band="green")
    c = login(triage_lead)
    html = c.get(reverse("triage:queue") + "?band=red").content.decode()
    assert "Late one" in html and "Fresh one" not in html and 'id="band-filter"' in html
    html = c.get(reverse("triage:queue") + "?band=purple").content.decode()
    assert "Unknown SLA band" in html and "Late one" in html and "Fresh one" in html


def test_the_queue_points_at_look_alike_known_issues(login, triage_lead, open_ticket, manager):
    from escalation.services import known_issues

    known_issues.create_known_issue(manager, title="Airbnb calendar sync delayed", short_name="airbnb sync")
    open_ticket("Airbnb calendar not syncing since Monday")
    open_ticket("Invoice address wrong")
    html = login(triage_lead).get(reverse("triage:queue")).content.decode()
    assert html.count("Known issue?") == 1 and "KI-1" in html

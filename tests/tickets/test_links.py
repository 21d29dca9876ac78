"""Links between tickets: related and parent/child, shown with their status; resolving a parent with its
children (one action, each child through the normal services)."""

import pytest

from tests.factories import ContactFactory
from tickets import fragments, services
from tickets.errors import InvalidInput
from tickets.models import Message, Status, Tier, Visibility
from tickets.services import links

pytestmark = pytest.mark.django_db


def _t(lead, subject):
    t = services.open_ticket(ContactFactory(), subject, f"About {subject}")
    return services.update_ticket(t, lead, tier=Tier.T1)


@pytest.fixture
def three(triage_lead):
    return _t(triage_lead, "Outage"), _t(triage_lead, "Cannot log in"), _t(triage_lead, "Site down")


def test_link_both_ways_and_refusals(three, agent):
    parent, a, b = three
    links.link_tickets(parent, agent, a, "child")
    links.link_tickets(b, agent, parent, "parent")  # b says: parent is my parent
    links.link_tickets(a, agent, b, "related")
    from tickets.related import links_of

    rows = {(r.relation, r.other.number) for r in links_of(parent)}
    assert rows == {("child", a.number), ("child", b.number)}
    assert {(r.relation, r.other.number) for r in links_of(a)} == {
        ("parent", parent.number),
        ("related", b.number),
    }
    with pytest.raises(InvalidInput, match="itself"):
        links.link_tickets(a, agent, a, "related")
    with pytest.raises(InvalidInput, match="already linked"):
        links.link_tickets(a, agent, parent, "related")
    with pytest.raises(InvalidInput, match="already has a parent"):
        links.link_tickets(b, agent, _t(agent, "Other"), "parent")
    assert parent.events.filter(verb="linked").count() == 2


def test_no_cycles(three, agent, triage_lead):
    top, mid, low = three
    links.link_tickets(top, agent, mid, "child")
    links.link_tickets(mid, agent, low, "child")
    with pytest.raises(InvalidInput, match="already above"):
        links.link_tickets(low, agent, top, "child")


def test_resolve_parent_replies_to_and_resolves_children(three, agent):
    parent, a, b = three
    links.link_tickets(parent, agent, a, "child")
    links.link_tickets(parent, agent, b, "child")
    services.change_status(b, Status.PENDING, by=agent)
    done = links.resolve_with_children(parent, agent, "Hi {{ requester.first_name }}, fixed now.")
    assert done == [a.number, b.number]
    for t in (parent, a, b):
        t.refresh_from_db()
        assert t.status == Status.RESOLVED
    reply = Message.objects.filter(ticket=a, visibility=Visibility.PUBLIC).last()
    assert reply.body == f"Hi {a.requester.name.split(' ')[0]}, fixed now."
    assert a.events.filter(verb="replied").exists()  # through send_reply: the requester is emailed
    assert parent.events.filter(verb="children_resolved").count() == 1
    with pytest.raises(InvalidInput, match="no open child"):
        links.resolve_with_children(parent, agent, "")


def test_resolve_children_is_all_or_nothing(three, agent):
    parent, a, b = three
    links.link_tickets(parent, agent, a, "child")
    with pytest.raises(InvalidInput):
        links.resolve_with_children(parent, agent, "x" * 10_000_000)  # too long: refused for the child
    a.refresh_from_db()
    parent.refresh_from_db()
    assert a.status == Status.OPEN and parent.status == Status.OPEN


def test_panel_add_remove_and_resolve_over_http(login, agent, three, django_assert_max_num_queries):
    parent, a, b = three
    c = login(agent)
    r = c.post(
        f"/tickets/{parent.number}/links/", {"number": a.number, "relation": "child"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and f"Linked to #{a.number}" in r.content.decode()
    r = c.post(f"/tickets/{parent.number}/links/", {"number": 999999, "relation": "child"})
    assert r.status_code == 400 and "There is no ticket #999999" in r.content.decode()
    assert 'value="999999"' in r.content.decode()  # the typed number is kept
    page = c.get(f"/tickets/{parent.number}/").content.decode()
    assert f"#{a.number}" in page and "Resolve with its 1 open child ticket" in page
    parent.refresh_from_db()
    r = c.post(
        f"/tickets/{parent.number}/status/",
        {"status": "resolved", "version": parent.version, "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "has 1 open child ticket: reply to them and resolve them" in r.content.decode()
    parent.refresh_from_db()
    assert parent.status == Status.RESOLVED
    r = c.post(
        f"/tickets/{parent.number}/links/resolve-children/",
        {"body": "Fixed.", "version": parent.version},
        HTTP_HX_REQUEST="true",
    )
    assert f"Resolved this ticket and its children #{a.number} with your reply" in r.content.decode()
    a.refresh_from_db()
    assert a.status == Status.RESOLVED
    link_id = a.links_in.get().pk
    r = c.post(f"/tickets/{parent.number}/links/{link_id}/remove/")
    assert r.status_code == 302 and not a.links_in.exists()


def test_requester_cannot_link(client, three):
    from tests.factories import UserFactory

    user = UserFactory(username="req")
    ContactFactory(user=user)
    client.force_login(user)
    parent, a, _ = three
    assert (
        client.post(f"/tickets/{parent.number}/links/", {"number": a.number, "relation": "child"}).status_code
        == 403
    )


def test_workspace_query_count_does_not_grow_with_links(
    login, agent, three, triage_lead, django_assert_max_num_queries
):
    parent, a, b = three
    c = login(agent)
    links.link_tickets(parent, agent, a, "child")
    c.get(f"/tickets/{parent.number}/")
    fragments.changed([parent.pk])  # every fragment missed: the panels rendered afresh
    with django_assert_max_num_queries(40) as few:
        c.get(f"/tickets/{parent.number}/")
    links.link_tickets(parent, agent, b, "related")
    for i in range(8):
        links.link_tickets(parent, agent, _t(triage_lead, f"Report {i}"), "child")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get(f"/tickets/{parent.number}/").content.decode()
    assert "Report 7" in page and "Resolve with its 9 open child tickets" in page


def test_a_child_still_in_triage_is_not_answered(three, agent):
    """Issue #15 item 14: triage first, also for the parent's reply to its children."""
    parent, a, _ = three
    waiting = services.open_ticket(ContactFactory(), "Also down", "Same here")
    links.link_tickets(parent, agent, a, "child")
    links.link_tickets(parent, agent, waiting, "child")
    with pytest.raises(InvalidInput, match=f"#{waiting.number} is still waiting for triage"):
        links.resolve_with_children(parent, agent, "Fixed now.")
    assert not Message.objects.filter(ticket=a, body="Fixed now.").exists()
    assert links.resolve_with_children(parent, agent, "") == [a.number, waiting.number]

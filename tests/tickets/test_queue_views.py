"""Queues: membership, filters, sort, keyset pagination, search, saved views, live-refresh partial."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.factories import (
    ContactFactory,
    MessageFactory,
    TeamFactory,
    TicketFactory,
    UserFactory,
    requester_user,
)
from tickets import queues, services
from tickets.models import SavedView, Status, Ticket, Tier


@pytest.fixture(autouse=True)
def _fresh_filter_choices():
    """Queue filter choices are cached for a minute; each test starts without them."""
    from django.core.cache import cache

    from tickets.selectors import filter_choices_key

    cache.delete(filter_choices_key())
    yield
    cache.delete(filter_choices_key())


@pytest.fixture
def c(login, agent):
    return login(agent)


def numbers(response):
    return [t.number for t in response.context["rows"]]


def test_queue_permissions(client, contact):
    assert client.get("/queues/").status_code == 302
    client.force_login(requester_user(contact))
    assert client.get("/queues/").status_code == 403
    assert client.get("/queues/t1/").status_code == 403


def test_tier_team_unassigned_and_all_queues(c, agent):
    team = TeamFactory(slug="product", name="Product")
    t1 = TicketFactory(tier=Tier.T1)
    t2 = TicketFactory(tier=Tier.T2, assignee=agent)
    triage = TicketFactory(tier=Tier.TRIAGE)
    teamed = TicketFactory(tier=Tier.T3, team=team)
    closed = TicketFactory(tier=Tier.T1, status=Status.CLOSED)
    assert set(numbers(c.get("/queues/t1/"))) == {t1.number}
    assert set(numbers(c.get("/queues/unassigned/"))) == {t1.number, teamed.number}
    assert set(numbers(c.get("/queues/team-product/"))) == {teamed.number}
    assert set(numbers(c.get("/queues/"))) == {t1.number, t2.number, triage.number, teamed.number}
    assert closed.number in numbers(c.get("/queues/t1/?status=any"))
    assert c.get("/queues/nope/").status_code == 404


def test_filters(c, agent):
    a = TicketFactory(tier=Tier.T1, priority="urgent", assignee=agent)
    b = TicketFactory(tier=Tier.T1, priority="low")
    services.add_tag(b, agent, "billing")
    assert numbers(c.get("/queues/t1/?priority=urgent")) == [a.number]
    assert numbers(c.get("/queues/t1/?assignee=me")) == [a.number]
    assert numbers(c.get("/queues/t1/?assignee=none")) == [b.number]
    assert numbers(c.get(f"/queues/t1/?assignee={agent.pk}")) == [a.number]
    assert numbers(c.get("/queues/t1/?tag=billing")) == [b.number]
    Ticket.objects.filter(pk=a.pk).update(sla_band="red")
    assert numbers(c.get("/queues/t1/?band=red")) == [a.number]
    assert "Unknown SLA band" in c.get("/queues/t1/?band=purple").content.decode()
    r = c.get(f"/queues/t1/?org={a.organization_id}")
    assert numbers(r) == [a.number]
    assert f'<option value="{a.organization_id}" selected>' in r.content.decode()


def test_unknown_filter_values_are_explained_and_ignored(c):
    t = TicketFactory(tier=Tier.T1)
    r = c.get("/queues/t1/?status=bogus&priority=mega&assignee=x;drop&org=abc&sort=sideways")
    html = r.content.decode()
    assert r.status_code == 200 and numbers(r) == [t.number]
    for text in (
        "Unknown status filter",
        "Unknown priority",
        "Unknown assignee",
        "Unknown organization",
        "Unknown sort order",
    ):
        assert text in html


def test_tampered_cursor_shows_first_page_with_message(c):
    TicketFactory(tier=Tier.T1)
    r = c.get("/queues/t1/?after=garbage")
    assert (
        r.status_code == 200 and "That page link is not valid" in r.content.decode() and len(numbers(r)) == 1
    )


@pytest.mark.parametrize("sort", list(queues.SORTS))
def test_keyset_pagination_visits_every_row_once(c, sort, monkeypatch):
    monkeypatch.setattr(queues, "PAGE_SIZE", 4)
    now = timezone.now()
    for i in range(11):
        TicketFactory(
            tier=Tier.T1,
            priority=["low", "normal", "high", "urgent"][i % 4],
            sla_yellow_until=None if i % 3 == 0 else now + dt.timedelta(hours=i % 5),
        )
    Ticket.objects.filter(tier=Tier.T1).update(updated_at=now)  # ties on the sort key
    seen, path = [], f"/queues/t1/?sort={sort}"
    for _ in range(10):
        r = c.get(path)
        seen += numbers(r)
        if not r.context["next_url"]:
            break
        path = "/queues/t1/" + r.context["next_url"]
    assert sorted(seen) == sorted(Ticket.objects.filter(tier=Tier.T1).values_list("number", flat=True))
    assert len(seen) == len(set(seen)) == 11


def test_cursor_for_another_sort_is_refused(c):
    for _ in range(3):
        TicketFactory(tier=Tier.T1)
    token = queues.encode_cursor("newest", Ticket.objects.first())
    r = c.get(f"/queues/t1/?sort=updated&after={token}")
    assert "another sort order" in r.content.decode() and len(numbers(r)) == 3


def test_text_search_subject_messages_and_number(c):
    a = TicketFactory(tier=Tier.T1, subject="Printer on fire")
    b = TicketFactory(tier=Tier.T1, subject="Something else")
    MessageFactory(ticket=b, body="The calendars stopped syncing overnight")
    TicketFactory(tier=Tier.T1, subject="Unrelated")
    assert numbers(c.get("/queues/t1/?q=printer")) == [a.number]
    assert numbers(c.get("/queues/t1/?q=calendars")) == [b.number]
    assert numbers(c.get(f"/queues/t1/?q=%23{a.number}")) == [a.number]


def test_sla_column_and_known_issue_tag(c, agent):
    # Within working hours (Monday 10:00; the default calendar is Mon–Fri 09–17): the column counts
    # business time, so the same wall-clock gap late in the day would show less.
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        now = timezone.now()
        t = TicketFactory(
            tier=Tier.T1,
            sla_band="yellow",
            sla_green_until=now - dt.timedelta(hours=1),
            sla_yellow_until=now + dt.timedelta(hours=2, minutes=5),
        )
        services.add_tag(t, agent, "42-login-loop")
        html = c.get("/queues/t1/").content.decode()
    assert "sla-yellow" in html and "2h 4m left" in html or "2h 5m left" in html
    assert 'class="tag ki"' in html and "42-login-loop" in html


def test_live_refresh_partial(c):
    t = TicketFactory(tier=Tier.T1)
    r = c.get("/queues/t1/?partial=rows", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert html.lstrip().startswith("<tbody") and f"#{t.number}" in html
    assert 'hx-trigger="every 30s, bulk-done from:body"' in html
    assert "<html" not in html


def test_saved_views(c, agent):
    r = c.post("/queues/t1/save-view/", {"name": "Urgent T1", "priority": "urgent", "sort": "updated"})
    assert r.status_code == 302
    view = SavedView.objects.get(user=agent)
    assert view.queue == "t1" and view.query == "priority=urgent&sort=updated"
    assert "Urgent T1" in c.get("/queues/").content.decode()
    r = c.post("/queues/t1/save-view/", {"name": ""})
    assert SavedView.objects.count() == 1
    other = UserFactory(username="other", role="Agent")
    c.force_login(other)
    assert "Urgent T1" not in c.get("/queues/").content.decode()
    c.post(f"/saved-views/{view.pk}/delete/")  # not theirs: nothing happens
    assert SavedView.objects.count() == 1
    c.force_login(agent)
    c.post(f"/saved-views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def test_queue_query_count_is_constant(c, agent, django_assert_max_num_queries):
    for _ in range(3):
        TicketFactory(tier=Tier.T1, subject="word")
    c.get("/queues/t1/?q=word")
    with django_assert_max_num_queries(20) as few:
        c.get("/queues/t1/?q=word&sort=priority")
    baseline = len(few.captured_queries)
    contacts = [ContactFactory() for _ in range(5)]
    for i in range(60):
        t = TicketFactory(tier=Tier.T1, subject="word", requester=contacts[i % 5], assignee=agent)
        if i % 2:
            services.add_tag(t, agent, f"tag{i % 7}")
    c.get("/queues/t1/?q=word&sort=priority")  # the bell's count is cached for 10 s: warm both the same way
    with django_assert_max_num_queries(baseline):
        r = c.get("/queues/t1/?q=word&sort=priority")
    assert len(r.context["rows"]) == 50
    with django_assert_max_num_queries(baseline):
        c.get("/queues/t1/?partial=rows", HTTP_HX_REQUEST="true")

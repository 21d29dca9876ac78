"""Triage that keeps up (issue #16 item 7, #15 item 16): sort orders, the search box, the header count
honouring the filter, decision forms loaded when a row is opened, spam out of the queue, likely
duplicates in the opened row."""

import re

import pytest
from django.urls import reverse

from tests.factories import ContactFactory
from tickets import services
from tickets.models import Ticket
from tickets.services.spam import mark_spam
from triage import selectors

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _numbers(html):
    return [int(n) for n in re.findall(r'id="triage-row-(\d+)"', html)]


@pytest.fixture
def three(db):
    contact = ContactFactory()
    old = services.open_ticket(contact, "Calendar sync broken", "Since Monday.", priority="low")
    mid = services.open_ticket(contact, "Invoice missing", "Where is it?", priority="urgent")
    new = services.open_ticket(contact, "Calendar sync slow", "Very slow.", priority="high")
    return old, mid, new


def test_sort_orders(login, triage_lead, three):
    old, mid, new = three
    c = login(triage_lead)
    assert _numbers(c.get("/triage/").content.decode()) == [old.number, mid.number, new.number]
    assert _numbers(c.get("/triage/?sort=newest").content.decode()) == [new.number, mid.number, old.number]
    assert _numbers(c.get("/triage/?sort=priority").content.decode()) == [mid.number, new.number, old.number]
    assert set(_numbers(c.get("/triage/?sort=sla").content.decode())) == {old.number, mid.number, new.number}
    html = c.get("/triage/?sort=bogus").content.decode()
    assert "Unknown sort order" in html and len(_numbers(html)) == 3


def test_pages_in_every_sort(login, triage_lead, three, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    old, mid, new = three
    c = login(triage_lead)
    for sort, order in (
        ("newest", [new, mid, old]),
        ("priority", [mid, new, old]),
        ("oldest", [old, mid, new]),
    ):
        html = c.get(f"/triage/?sort={sort}").content.decode()
        assert _numbers(html) == [order[0].number, order[1].number]
        link = re.search(r'href="\?([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
        assert _numbers(c.get(f"/triage/?{link}").content.decode()) == [order[2].number], sort
    html = c.get("/triage/?sort=priority&after=tampered").content.decode()
    assert "not valid" in html and len(_numbers(html)) == 2


def test_search_box_and_header_count_honour_the_filter(login, triage_lead, three):
    old, mid, new = three
    c = login(triage_lead)
    html = c.get("/triage/").content.decode()
    assert re.search(r'id="triage-count">3 waiting<', html)
    html = c.get("/triage/?q=calendar").content.decode()
    assert set(_numbers(html)) == {old.number, new.number}
    assert re.search(r'id="triage-count">2 matches of 3 waiting<', html)
    html = c.get(f"/triage/?q=%23{mid.number}").content.decode()
    assert _numbers(html) == [mid.number] and "1 match of 3 waiting" in html
    assert c.get("/triage/?q=a%00b").status_code == 400  # NUL: refused with a word, never a 500


def test_decision_forms_load_when_a_row_is_opened(login, triage_lead, three):
    old, _mid, new = three
    c = login(triage_lead)
    html = c.get("/triage/").content.decode()
    assert 'name="tier"' not in html.split('id="triage-queue"')[1]  # no decision form in the rows
    assert f'data-row-url="/triage/{old.number}/row/"' in html
    row = c.get(reverse("triage:row", args=[old.number]), **HX).content.decode()
    assert row.lstrip().startswith("<tr") and "Approve" in row and 'name="tier"' in row
    assert 'data-testid="likely-duplicates"' in row and f"Merge into #{new.number}" in row
    page = c.get(reverse("triage:row", args=[old.number])).content.decode()  # without JavaScript
    assert "<html" in page and "Triage decision" in page and "Approve" in page


def test_spam_leaves_the_triage_queue_and_bulk_spam(login, triage_lead, three):
    old, mid, new = three
    mark_spam(old, triage_lead)
    c = login(triage_lead)
    html = c.get("/triage/").content.decode()
    assert _numbers(html) == [mid.number, new.number] and "2 waiting" in html
    r = c.post("/triage/bulk/", {"op": "spam", "tickets": [mid.number]})
    assert r.status_code == 302 and Ticket.objects.get(pk=mid.pk).spam_at is not None
    r = c.post(f"/tickets/{new.number}/spam/", {"version": new.version, "next": "/triage/"})
    assert r.status_code == 302 and r["Location"] == "/triage/"
    assert _numbers(c.get("/triage/").content.decode()) == []


def test_queue_queries_constant(login, triage_lead, django_assert_max_num_queries):
    contact = ContactFactory()
    for i in range(30):
        services.open_ticket(contact, f"Ticket {i} about printers", "Body")
    c = login(triage_lead)
    c.get("/triage/")
    with django_assert_max_num_queries(12):
        html = c.get("/triage/?q=printers&sort=priority").content.decode()
    assert len(_numbers(html)) == 30

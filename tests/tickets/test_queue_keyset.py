"""Keyset pagination property: for any data (ties, NULL deadlines) and any sort, walking the pages
returns every row exactly once, in the same order as one unpaginated query. Also placeholders."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ContactFactory, TicketFactory
from tickets import canned, queues, selectors
from tickets.forms import QueueQueryForm
from tickets.models import Ticket, Tier

BASE = timezone.now().replace(microsecond=0)
rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["low", "normal", "high", "urgent"]),
        st.one_of(st.none(), st.integers(0, 3)),
        st.integers(0, 2),
    ),
    min_size=0,
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=rows_strategy, sort=st.sampled_from(list(queues.SORTS)), size=st.integers(1, 5))
def test_walk_pages_equals_full_order(data, sort, size, monkeypatch):
    Ticket.objects.all().delete()
    contact = ContactFactory()
    for priority, hours, minutes in data:
        t = TicketFactory(
            requester=contact,
            tier=Tier.T1,
            priority=priority,
            sla_yellow_until=None if hours is None else BASE + dt.timedelta(hours=hours),
        )
        Ticket.objects.filter(pk=t.pk).update(updated_at=BASE + dt.timedelta(minutes=minutes))
    monkeypatch.setattr(queues, "PAGE_SIZE", size)
    queue = queues.Queue("t1", "T1", queues.Q(tier=Tier.T1))
    query = queues.QueueQuery(sort=sort)
    full = queues.filtered(Ticket.objects.filter(tier=Tier.T1), query, None)
    if sort == "priority":
        full = full.annotate(prio_rank=queues.PRIORITY_RANK_EXPR)
    expected = list(full.order_by(*queues.order_by(queues.SORTS[sort][1])).values_list("number", flat=True))
    walked, after = [], None
    for _ in range(len(data) + 2):
        query.after = after
        rows, cursor = queues.page(selectors.queue_values(), queue, query, None)
        walked += [r.number for r in rows]
        if cursor is None:
            break
        after = queues.decode_cursor(cursor, sort)
    assert walked == expected


def test_tampered_cursor_refused():
    token = queues.signing.dumps(["newest", [5]], salt=queues.CURSOR_SALT)
    assert QueueQueryForm({"after": token[:-2] + "xx", "sort": "newest"}).query().errors
    assert QueueQueryForm({"after": token, "sort": "newest"}).query().after == [5]
    forged = queues.signing.dumps(["newest", ["1; drop table"]], salt=queues.CURSOR_SALT)
    assert QueueQueryForm({"after": forged, "sort": "newest"}).query().errors


@pytest.mark.django_db
def test_canned_placeholders_both_spellings(agent):
    agent.first_name, agent.last_name = "Sam", "Agent"
    t = TicketFactory(requester=ContactFactory(name="Robin Q Public"), subject="VPN")
    out = canned.render(
        "{{ requester.first_name }}/{{requester_first_name}} #{{ticket_number}} "
        "{{ agent.first_name }} {{agent_name}} {{ ticket.subject }} {{ unknown.thing }} {% x %}",
        t,
        agent,
    )
    assert out == f"Robin/Robin #{t.number} Sam Sam Agent VPN {{{{ unknown.thing }}}} {{% x %}}"

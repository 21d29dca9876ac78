"""helpdesk.prepared (issue #20 §1–2): a values() query compiled once per shape returns exactly what the
ORM returns, for every shape the queue pages use; a slot the compiler transforms falls back to the ORM."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from helpdesk import prepared
from tests.factories import ContactFactory, TicketFactory
from tickets import queues, selectors, services
from tickets.models import Priority, Status, Ticket, TicketSeen, Tier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_plans():
    prepared.forget_all()
    yield
    prepared.forget_all()


def _data(agent):
    now = timezone.now().replace(microsecond=0)
    contact = ContactFactory()
    made = []
    for i in range(14):
        t = TicketFactory(
            requester=contact,
            tier=Tier.T1,
            priority=[Priority.LOW, Priority.HIGH, Priority.URGENT][i % 3],
            assignee=agent if i % 2 else None,
            sla_yellow_until=None if i % 4 == 0 else now + dt.timedelta(hours=i % 3),
            status=[Status.OPEN, Status.PENDING][i % 2],
        )
        Ticket.objects.filter(pk=t.pk).update(
            updated_at=now - dt.timedelta(minutes=i % 5), sla_band="red" if i % 5 == 0 else "green"
        )
        if i % 3 == 0:
            services.add_tag(t, agent, "vpn")
        made.append(t)
    TicketSeen.objects.create(user=agent, ticket=made[1], seen_at=now + dt.timedelta(days=1))
    return made


QUERIES = [
    {},
    {"priority": Priority.HIGH},
    {"sort": "updated"},
    {"sort": "priority", "assignee": "me"},
    {"sort": "newest", "assignee": "none", "tag": "vpn"},
    {"band": "red"},
]


@pytest.mark.parametrize("params", QUERIES)
def test_prepared_pages_equal_the_orm_pages_on_every_page(agent, monkeypatch, params):
    _data(agent)
    monkeypatch.setattr(queues, "PAGE_SIZE", 3)
    queue = queues.Queue("t1", "T1", queues.Q(tier=Tier.T1))
    walked: dict[bool, list] = {}
    for use_prepared in (True, True, False):
        query, after, seen = queues.QueueQuery(**params), None, []
        for _ in range(10):
            query.after = after
            base = selectors.queue_values if use_prepared else selectors.queue_values()
            rows, cursor = queues.page(base, queue, query, agent)
            seen += [(r.number, r.unread, r.version, tuple(getattr(r, "tag_names", ()))) for r in rows]
            if cursor is None:
                break
            after = queues.decode_cursor(cursor, query.sort)
        assert walked.setdefault(use_prepared, seen) == seen
    assert walked[True] == walked[False] and walked[True]
    if connection.vendor == "postgresql":  # SQLite binds datetimes as text: those shapes use the ORM
        assert not any(p is prepared._FALLBACK for p in prepared._plans.values())


def test_a_shape_is_built_once_then_only_its_values_change(agent, contact):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user("other-agent")
    mine = TicketFactory(assignee=agent)
    theirs = TicketFactory(assignee=other)
    builds = []

    def build(slot):
        builds.append(1)
        return Ticket.objects.filter(assignee_id=slot("user")).values("number")

    assert prepared.run(("t",), build, {"user": agent.pk}) == [{"number": mine.number}]
    assert prepared.run(("t",), build, {"user": other.pk}) == [{"number": theirs.number}]
    assert len(builds) == 1


def test_a_transformed_slot_falls_back_to_the_orm(agent):
    t = TicketFactory(subject="Printer on fire")
    builds = []

    def build(slot):
        builds.append(1)
        return Ticket.objects.filter(subject__icontains=slot("text")).values("number")

    for _ in range(2):
        assert prepared.run(("icontains",), build, {"text": "on fi"}) == [{"number": t.number}]
    assert prepared.run(("icontains",), build, {"text": "nothing"}) == []
    assert next(iter(prepared._plans.values())) is prepared._FALLBACK
    assert len(builds) == 4  # the marker compile, then the ORM on every call


def test_an_empty_shape_runs_no_query(django_assert_num_queries):
    def build(slot):
        return Ticket.objects.filter(pk__in=[], number=slot("n")).values("number")

    with django_assert_num_queries(0):
        assert prepared.run(("empty",), build, {"n": 1}) == []
        assert prepared.run(("empty",), build, {"n": 2}) == []


def test_my_work_compiles_its_queries_once(login, agent, monkeypatch):
    """My work's rows and nudges are compiled on the first page only (no queryset built after)."""
    TicketFactory(assignee=agent)
    c = login(agent)
    c.get("/")
    calls = []
    real = selectors.queue_values
    monkeypatch.setattr(selectors, "queue_values", lambda *a: calls.append(a) or real(*a))
    assert c.get("/").status_code == 200
    assert calls == []


def test_a_queue_page_compiles_once_per_shape(login, agent, monkeypatch):
    TicketFactory(tier=Tier.T1)
    c = login(agent)
    c.get("/queues/t1/?priority=high")
    calls = []
    real = queues.page_queryset
    monkeypatch.setattr(queues, "page_queryset", lambda *a: calls.append(a) or real(*a))
    assert c.get("/queues/t1/?priority=low").status_code == 200  # same shape, another value
    assert calls == []
    c.get("/queues/t1/?priority=low&sort=newest")  # another shape: built once
    assert len(calls) == 1


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_prepared_instances_equal_the_orms_with_their_related_rows(agent, django_assert_num_queries):
    """``prepared.instances`` (the workspace's ticket and draft): the same instances the ORM builds, the
    ``select_related`` rows included (present or absent), one query each, compiled once."""
    from django.contrib.auth.models import User

    with_all = TicketFactory(assignee=agent)
    bare = TicketFactory(assignee=None)
    selectors.ticket_for(agent, bare.number)  # the person's role, read once and kept
    for t in (with_all, bare, with_all):
        with django_assert_num_queries(1):
            got = selectors.ticket_for(agent, t.number)
        orm = selectors.ticket_list().get(pk=t.pk)
        assert _fields(got) == _fields(orm)
        for name in ("requester", "organization", "assignee", "team"):
            mine, theirs = getattr(got, name), getattr(orm, name)
            assert (mine and _fields(mine)) == (theirs and _fields(theirs))
        assert isinstance(got.assignee, User) if t.assignee_id else got.assignee is None
    assert len([p for p in prepared._plans.values() if p is not prepared._FALLBACK]) == 1


def test_a_ticket_number_out_of_range_or_not_a_number_is_not_found(agent):
    from django.http import Http404

    for number in (2**31, -(2**31), "12x", None):
        with pytest.raises(Http404):
            selectors.ticket_for(agent, number)


def test_prepared_instances_fall_back_when_a_slot_is_transformed(agent):
    t = TicketFactory(subject="Printer on fire")

    def build(slot):
        return Ticket.objects.filter(subject__icontains=slot("text"))

    assert [x.pk for x in prepared.instances(("icontains-i",), build, {"text": "on fi"})] == [t.pk]
    assert prepared.instances(("icontains-i",), build, {"text": "nothing"}) == []
    assert next(iter(prepared._plans.values())) is prepared._FALLBACK


def test_a_draft_is_read_through_its_compiled_query(agent):
    from tickets.models import ReplyDraft

    t = TicketFactory()
    assert selectors.draft_for(agent, t) is None
    ReplyDraft.objects.create(user=agent, ticket=t, body="half written", internal=True)
    draft = selectors.draft_for(agent, t)
    assert (draft.body, draft.internal, draft.ticket_id) == ("half written", True, t.pk)
    from tests.factories import UserFactory

    assert selectors.draft_for(UserFactory(username="other", role="Agent"), t) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="constants are inlined on PostgreSQL only")
def test_a_shapes_constants_are_written_into_its_sql_and_only_its_slots_stay_parameters(agent):
    """The status list, tier and team of a queue are literals in the prepared SQL (so PostgreSQL keeps its
    generic plan and skips planning); the user and the filter values stay parameters. A constant with a
    percent sign survives the placeholder pass."""
    _data(agent)
    query = queues.QueueQuery(priority=Priority.HIGH)
    queue = queues.find_queue("t1", [])
    rows, _ = queues.page(selectors.queue_values, queue, query, agent)
    plan = next(p for key, p in prepared._plans.items() if "tickets.queue" in str(key))
    assert "'open'" in plan.sql and "'t1'" in plan.sql
    assert sorted(name for _, name, _ in plan.slots) == ["priority", "user"]
    assert len(plan.params) == len(plan.slots) == plan.sql.count("%s")
    orm = list(queues.page_queryset(selectors.queue_values(), queue, query, agent.pk))
    assert [r["number"] for r in orm] == [r.number for r in rows]

    def build(slot):
        return Ticket.objects.filter(subject__contains="50% off", requester_id=slot("who")).values("number")

    TicketFactory(subject="Get 50% off now", requester=ContactFactory())
    who = Ticket.objects.get(subject="Get 50% off now").requester_id
    assert prepared.run(("test.percent",), build, {"who": who}) == list(
        build(prepared.Slots({"who": who}, markers=False))
    )
    assert len(prepared.run(("test.percent",), build, {"who": who})) == 1


def test_statements_are_prepared_on_the_server_by_default(settings):
    """Django turns psycopg's prepared statements off unless asked: the settings ask for them."""
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor == "postgresql":
        assert options.get("server_side_binding") is True
        assert options.get("prepare_threshold") == 5

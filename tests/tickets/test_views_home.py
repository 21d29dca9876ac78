"""My work, hand back, and the requester portal."""

import datetime as dt

from django.utils import timezone

from tests.factories import ContactFactory, TicketFactory, UserFactory, requester_user
from tickets import services
from tickets.models import Message, Status, Ticket, TicketEvent, Tier, Visibility


def test_anonymous_redirected_and_userless_forbidden(client, db):
    assert client.get("/").status_code == 302
    client.force_login(UserFactory(username="norole"))
    assert client.get("/").status_code == 403


def test_my_work_orders_needs_reply_first_and_warns_over_wip(login, agent, settings):
    settings.HELPDESK_WIP_LIMIT = 3
    now = timezone.now()
    answered = TicketFactory(assignee=agent, tier=Tier.T1, last_public_reply_at=now, created_at=now)
    fresh = TicketFactory(assignee=agent, tier=Tier.T1)
    waiting = TicketFactory(assignee=agent, tier=Tier.T1, status=Status.PENDING)
    TicketFactory(
        assignee=agent, tier=Tier.T1, commitment_due_at=now + dt.timedelta(hours=3), last_public_reply_at=now
    )
    TicketFactory(assignee=agent, status=Status.CLOSED)
    r = login(agent).get("/")
    work = r.context["work"]
    html = r.content.decode()
    assert work.wip == 4 and work.over_limit and "more than 3" in html
    needs_reply = [t.pk for t in work.needs_reply]  # plain-value rows (issue #20), compared by id
    assert (
        needs_reply[0] == fresh.pk
        and answered.pk in needs_reply
        and [t.pk for t in work.waiting] == [waiting.pk]
    )
    assert "Commitments due" in html
    assert fresh.pk in [t.pk for t in work.stale] or (now - fresh.created_at) < dt.timedelta(days=1)


def test_my_work_no_warning_at_limit(login, agent, settings):
    settings.HELPDESK_WIP_LIMIT = 3
    for _ in range(3):
        TicketFactory(assignee=agent)
    assert "wip-warning" not in login(agent).get("/").content.decode()


def test_stale_ticket_listed(login, agent):
    t = TicketFactory(assignee=agent, tier=Tier.T1)
    Ticket.objects.filter(pk=t.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    r = login(agent).get("/")
    assert [x.pk for x in r.context["work"].stale] == [t.pk] and "No update for a day" in r.content.decode()


def test_hand_back_all_unassigns_unfinished_one_event_each(login, agent, contact):
    mine = [services.take(services.open_ticket(contact, f"s{i}", "b"), agent) for i in range(3)]
    done = services.take(services.open_ticket(contact, "done", "b"), agent)
    services.change_status(done, Status.CLOSED, by=agent)
    r = login(agent).post("/hand-back/")
    assert r.status_code == 302
    for t in mine:
        t.refresh_from_db()
        assert t.assignee is None
        assert TicketEvent.objects.filter(ticket=t, verb="assignee_changed", data__new=None).count() == 1
    done.refresh_from_db()
    assert done.assignee == agent
    login(agent).post("/hand-back/")  # twice: nothing more happens
    assert TicketEvent.objects.filter(verb="assignee_changed", data__new=None).count() == 3


def test_my_work_query_count_constant(login, agent, django_assert_max_num_queries):
    c = login(agent)
    TicketFactory(assignee=agent)
    c.get("/")
    with django_assert_max_num_queries(15) as few:
        c.get("/")
    for i in range(25):
        t = TicketFactory(assignee=agent, status=[Status.OPEN, Status.PENDING][i % 2])
        services.add_tag(t, agent, f"t{i % 4}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get("/")


# --- requester portal ------------------------------------------------------------------------------


def test_portal_lists_only_own_organization(client, contact, ticket):
    other = TicketFactory(requester=ContactFactory())
    client.force_login(requester_user(contact))
    html = client.get("/").content.decode()
    assert ticket.subject in html and other.subject not in html
    assert client.get(f"/tickets/{other.number}/").status_code == 404


def test_portal_detail_hides_internal_notes(client, contact, ticket, agent):
    services.add_note(ticket, agent, "internal secret")
    services.add_reply(ticket, agent, "public answer")
    client.force_login(requester_user(contact))
    html = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "public answer" in html and "internal secret" not in html


def test_portal_reply_and_reply_to_closed_opens_linked_ticket(client, contact, ticket, agent):
    client.force_login(requester_user(contact))
    assert client.post(f"/tickets/{ticket.number}/reply/", {"body": ""}).status_code == 400
    client.post(f"/tickets/{ticket.number}/reply/", {"body": "more info"})
    assert Message.objects.filter(ticket=ticket, body="more info", visibility=Visibility.PUBLIC).exists()
    services.change_status(ticket, Status.CLOSED, by=agent)
    r = client.post(f"/tickets/{ticket.number}/reply/", {"body": "it broke again"}, follow=True)
    new = Ticket.objects.get(follow_up_of=ticket)
    assert "we opened a new one" in r.content.decode() and new.messages.get().body == "it broke again"


def test_portal_new_request(client, contact):
    client.force_login(requester_user(contact))
    r = client.post("/requests/new/", {"subject": "", "body": "x", "kind": "question"})
    assert r.status_code == 400 and not Ticket.objects.exists()
    r = client.post("/requests/new/", {"subject": "VPN down", "body": "cannot connect", "kind": "incident"})
    t = Ticket.objects.get()
    assert r.status_code == 302 and t.requester == contact and t.tier == Tier.TRIAGE and t.kind == "incident"


def test_staff_without_contact_cannot_open_portal_request(login, agent):
    assert login(agent).get("/requests/new/").status_code == 403


def test_nudges_clear_when_the_ticket_is_opened_or_all_at_once(login, agent, contact):
    from tickets import outbox
    from tickets.models import Notification

    a = services.open_ticket(contact, "Nudged A", "b")
    b = services.open_ticket(contact, "Nudged B", "b")
    for t in (a, b):
        outbox.notify_user(
            t, agent, "stale_nudge", f"nudge:{t.pk}", f"#{t.number} has had no update for a day."
        )
    c = login(agent)
    assert f"#{a.number} has had no update for a day." in c.get("/").content.decode()
    page = c.get(f"/tickets/{a.number}/").content.decode()
    assert f'hx-post="/tickets/{a.number}/seen/"' in page  # no write on GET: the page's beacon reads them
    assert Notification.objects.filter(ticket=a, read_at__isnull=True).exists()
    assert c.post(f"/tickets/{a.number}/seen/", HTTP_HX_REQUEST="true").status_code == 204
    html = c.get("/").content.decode()
    assert f"#{a.number} has had" not in html and f"#{b.number} has had no update" in html
    assert c.post("/notices/read/").status_code == 302
    assert not Notification.objects.filter(recipient_user=agent, read_at__isnull=True).exists()
    assert client_forbidden(contact, "/notices/read/")


def client_forbidden(contact, path):
    from django.test import Client

    c = Client()
    c.force_login(requester_user(contact))
    return c.post(path).status_code == 403


def test_a_nudge_says_why_not_the_subject_twice(login, agent, contact):
    """Issue #15 item 12: "#273 Sync broken is red: its T2 SLA has been missed", not "#273 [#273] Sync…"."""
    from sla.warnings import warn_one
    from tickets.models import SlaBand

    t = services.open_ticket(contact, "Sync broken", "b")
    Ticket.objects.filter(pk=t.pk).update(tier=Tier.T2, assignee=agent)
    t.refresh_from_db()
    warn_one(t, None, SlaBand.RED)
    html = login(agent).get("/").content.decode()
    nudges = html.split("Nudges")[1].split("</section>")[0]
    assert f"#{t.number} Sync broken is red: its T2 SLA has been missed." in nudges
    assert f"[#{t.number}]" not in nudges


def test_my_work_reads_its_rows_in_one_query(login, agent, django_assert_max_num_queries):
    """Issue #20 §2: plain-value rows with their tags (PostgreSQL) and the unread notices; the rest of
    the page (session, user, cached role) is what every screen pays."""
    from django.db import connection

    c = login(agent)
    for i in range(12):
        t = TicketFactory(assignee=agent, status=[Status.OPEN, Status.PENDING][i % 2])
        services.add_tag(t, agent, f"t{i % 4}")
    c.get("/")
    with django_assert_max_num_queries(6) as ctx:
        html = c.get("/").content.decode()
    ticket_reads = [q for q in ctx.captured_queries if 'FROM "tickets_ticket"' in q["sql"]]
    assert len(ticket_reads) == 1
    tag_reads = [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "tickets_ticket_tags"')]
    assert len(tag_reads) == (0 if connection.vendor == "postgresql" else 1)
    assert "t3" in html and html.count('data-href="/tickets/') == 12

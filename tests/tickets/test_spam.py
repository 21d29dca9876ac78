"""Spam (issue #16): out of every queue, nobody emailed or notified, the sender blocked; "Not spam" undoes
it; the Spam list; bulk."""

import pytest

from mail.services.blocklist import is_blocked
from tests.factories import UserFactory
from tickets import bulk, services
from tickets.models import Notification, Status, Ticket, Tier
from tickets.services.bulk import run_bulk
from tickets.services.spam import mark_spam, not_spam

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(triage_lead, agent, contact):
    """A T1 ticket that is owned, followed and Pending (a reminder is due): lots that could email."""
    t = services.open_ticket(contact, "Cheap watches", "Buy now.")
    t = services.update_ticket(t, triage_lead, tier=Tier.T1)
    t = services.take(t, agent)
    services.set_following(t, UserFactory(role="Agent"), True)
    services.change_status(t, Status.PENDING, by=agent)
    return Ticket.objects.get(pk=t.pk)


def test_spam_never_emails_anyone(agent, worked, django_capture_on_commit_callbacks):
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        mark_spam(worked, agent, expected_version=worked.version)
    assert Notification.objects.count() == before  # the outbox stays empty: no reply, no notice
    fresh = Ticket.objects.get(pk=worked.pk)
    assert fresh.spam_at and fresh.next_action_at is None
    assert is_blocked(worked.requester.email)
    # A requester writing again on the portal wakes nobody either.
    services.add_requester_reply(fresh, worked.requester, "Buy more.")
    assert Notification.objects.count() == before
    assert Ticket.objects.get(pk=worked.pk).status == Status.PENDING


def test_spam_leaves_every_queue_and_the_spam_list_finds_it(login, agent, worked):
    c = login(agent)
    assert f'id="row-{worked.number}"' in c.get("/").content.decode()
    mark_spam(worked, agent)
    for path in ("/queues/all/?status=any", "/queues/t1/", "/"):
        assert f'id="row-{worked.number}"' not in c.get(path).content.decode(), path
    page = c.get("/spam/").content.decode()
    assert f'id="row-{worked.number}"' in page and 'value="not_spam"' in page and 'value="spam"' not in page


def test_not_spam_restores_and_unblocks(agent, worked):
    mark_spam(worked, agent)
    not_spam(Ticket.objects.get(pk=worked.pk), agent)
    fresh = Ticket.objects.get(pk=worked.pk)
    assert fresh.spam_at is None and fresh.next_action == "remind" and fresh.next_action_at
    assert not is_blocked(worked.requester.email)


def test_workspace_buttons(login, agent, worked):
    c = login(agent)
    r = c.post(f"/tickets/{worked.number}/spam/", {"version": worked.version - 1})
    assert r.status_code == 409 and Ticket.objects.get(pk=worked.pk).spam_at is None
    r = c.post(f"/tickets/{worked.number}/spam/", {"version": worked.version})
    assert r.status_code == 302 and Ticket.objects.get(pk=worked.pk).spam_at
    assert 'id="not-spam"' in c.get(f"/tickets/{worked.number}/").content.decode()
    r = c.post(f"/tickets/{worked.number}/not-spam/", {})
    assert r.status_code == 302 and Ticket.objects.get(pk=worked.pk).spam_at is None


def test_bulk_spam_skips_nothing_twice(agent, worked):
    report = run_bulk(bulk.SPAM, agent, [(worked.pk, worked.version)], {})
    assert report.changed == [worked.number]
    fresh = Ticket.objects.get(pk=worked.pk)
    report = run_bulk(bulk.PRIORITY, agent, [(fresh.pk, fresh.version)], {"priority": "high"})
    assert report.skipped == [(worked.number, f"#{worked.number} is marked as spam")]
    report = run_bulk(bulk.NOT_SPAM, agent, [(fresh.pk, fresh.version)], {})
    assert report.changed == [worked.number]


def test_api_spam_and_not_spam(agent, worked, contact):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(agent)
    before = Notification.objects.count()
    r = api.post(f"/api/tickets/{worked.number}/spam/", {"version": worked.version}, format="json")
    assert r.status_code == 200 and r.json()["spam_at"]
    assert Notification.objects.count() == before and is_blocked(worked.requester.email)
    fresh = Ticket.objects.get(pk=worked.pk)
    r = api.post(f"/api/tickets/{worked.number}/not-spam/", HTTP_IF_MATCH=f'"{fresh.version}"')
    assert r.status_code == 200 and r.json()["spam_at"] is None
    assert api.post(f"/api/tickets/{worked.number}/spam/", {}, format="json").status_code == 428
    requester = UserFactory(username="req")
    contact.user = requester
    contact.save()
    api.force_authenticate(requester)
    assert api.post(f"/api/tickets/{worked.number}/spam/", {"version": 1}, format="json").status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_spam_list_query_count_is_constant(login, agent, contact, count, django_assert_max_num_queries):
    for i in range(count):
        mark_spam(services.open_ticket(contact, f"Spam {i}", "Buy."), agent)
    c = login(agent)
    c.get("/spam/")
    # session, user, role, rows (tags in an array), the bell, staff for the bar (cached), slack
    with django_assert_max_num_queries(8):
        html = c.get("/spam/").content.decode()
    assert html.count('name="ticket"') == count


def test_spam_counts_for_nobody_on_the_dashboard_or_the_wip(agent, worked):
    from reports.filters import default_filters
    from reports.selectors import agent_load
    from tickets.selectors import owned_unfinished

    assert owned_unfinished(agent).count() == 1
    mark_spam(worked, agent)
    assert owned_unfinished(agent).count() == 0
    assert [row["owned"] for row in agent_load(default_filters()) if row["id"] == agent.pk] == [0]


def test_no_public_reply_on_spam(agent, worked):
    from tickets.errors import InvalidInput

    mark_spam(worked, agent)
    with pytest.raises(InvalidInput, match="marked as spam"):
        services.add_reply(Ticket.objects.get(pk=worked.pk), agent, "Dear spammer")
    services.add_note(
        Ticket.objects.get(pk=worked.pk), agent, "Spam wave from this domain."
    )  # notes are fine
    assert not Notification.objects.filter(recipient_email=worked.requester.email).exists()

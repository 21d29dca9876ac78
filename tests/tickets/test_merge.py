"""Merge (issue #16): every message and file moves to the target, tags/followers/CCs united, one event
on each ticket, later replies (portal and email) land on the target; self-merge and cross-organization
merges refused unless a manager confirms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attachments.services import attach_uploads
from tests.factories import ContactFactory, UserFactory
from tests.mail.helpers import deliver, make_email
from tickets import services
from tickets.errors import InvalidInput
from tickets.models import Message, Notification, Status, Ticket, Tier
from tickets.related import likely_duplicates
from tickets.services.merge import CrossOrganization, merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(triage_lead, contact):
    source = services.open_ticket(contact, "Printer on floor 2 jams", "It jams.")
    target = services.open_ticket(contact, "Printer floor 2 jams again", "Again.")
    return (
        services.update_ticket(source, triage_lead, tier=Tier.T1),
        services.update_ticket(target, triage_lead, tier=Tier.T1),
    )


def test_merge_keeps_every_message_and_attachment(agent, pair):
    source, target = pair
    note = services.add_note(source, agent, "Checked the tray.")
    reply = services.add_reply(source, agent, "Try this.")
    attach_uploads(reply, [SimpleUploadedFile("shot.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)], uploader=agent)
    services.set_tags(source, agent, ["printer"])
    services.set_following(source, UserFactory(role="Agent"), True)
    cc = ContactFactory()
    source.cc_contacts.add(cc)
    before = set(Message.objects.filter(ticket__in=[source, target]).values_list("pk", flat=True))
    merge(source, target, agent)
    target.refresh_from_db()
    source.refresh_from_db()
    assert before <= set(target.messages.values_list("pk", flat=True))
    assert {note.pk, reply.pk} <= set(target.messages.values_list("pk", flat=True))
    assert Message.objects.get(pk=reply.pk).attachments.count() == 1
    assert source.status == Status.CLOSED and source.merged_into == target
    assert source.messages.get().body.startswith(f"Merged into #{target.number}")
    assert list(target.tags.values_list("name", flat=True)) == ["printer"]
    assert target.followers.count() == 1 and cc in target.cc_contacts.all()
    assert source.events.filter(verb="merged_into").count() == 1
    assert target.events.filter(verb="merged").count() == 1
    assert not source.events.filter(verb="status_changed").exists()  # one event on each ticket


def test_later_replies_land_on_the_target(agent, pair, contact):
    source, target = pair
    merge(source, target, agent)
    message = services.add_requester_reply(Ticket.objects.get(pk=source.pk), contact, "Any news?")
    assert message.ticket_id == target.pk
    with pytest.raises(InvalidInput):  # staff write on the target
        services.add_reply(Ticket.objects.get(pk=source.pk), agent, "Hello")


def test_email_reply_to_a_merged_ticket_lands_on_the_target(agent):
    first = deliver(make_email(subject="Printer jams on floor two")).ticket
    second = deliver(make_email(subject="Printer jams floor two again")).ticket
    merge(first, second, agent)
    row = deliver(make_email(subject=f"Re: [#{first.number}] Printer", body="Still jammed."))
    assert row.ticket_id == second.pk and "merged" in row.outcome
    assert Ticket.objects.get(pk=second.pk).messages.filter(body="Still jammed.").exists()


def test_merge_optionally_tells_the_requester(agent, pair):
    source, target = pair
    merge(source, target, agent, notify_requesters=True)
    notice = Notification.objects.get(reason="merged")
    assert notice.recipient_email == source.requester.email and f"#{target.number}" in notice.body


def test_self_merge_and_bad_targets_refused(agent, pair):
    source, target = pair
    with pytest.raises(InvalidInput, match="into itself"):
        merge(source, source, agent)
    merge(source, target, agent)
    with pytest.raises(InvalidInput, match="already merged"):
        merge(Ticket.objects.get(pk=source.pk), target, agent)
    other = services.open_ticket(target.requester, "Third", "x")
    with pytest.raises(InvalidInput, match="itself merged"):
        merge(other, Ticket.objects.get(pk=source.pk), agent)


def test_cross_organization_needs_a_manager_who_confirms(agent, manager, pair):
    source, _target = pair
    foreign = services.open_ticket(ContactFactory(), "Printer on floor 2 jams", "Other client.")
    with pytest.raises(CrossOrganization, match="only a manager"):
        merge(source, foreign, agent)
    with pytest.raises(CrossOrganization, match="to confirm"):
        merge(source, foreign, manager)
    assert Ticket.objects.get(pk=source.pk).merged_into_id is None
    merge(source, foreign, manager, confirm_cross_org=True)
    assert Ticket.objects.get(pk=source.pk).merged_into_id == foreign.pk


def test_stale_source_refused(agent, pair):
    source, target = pair
    services.update_ticket(source, agent, priority="high")
    with pytest.raises(InvalidInput.__mro__[1]):  # StaleTicket is a TicketError
        merge(source, target, agent, expected_version=source.version)
    assert Ticket.objects.get(pk=source.pk).merged_into_id is None


def test_workspace_merge_and_duplicates(login, agent, pair, django_assert_max_num_queries):
    source, target = pair
    with django_assert_max_num_queries(1):
        found = likely_duplicates(source)
    assert [d["number"] for d in found] == [target.number]
    c = login(agent)
    page = c.get(f"/tickets/{source.number}/").content.decode()
    assert 'id="likely-duplicates"' in page and f"#{target.number}" in page
    r = c.post(f"/tickets/{source.number}/merge/", {"into": source.number, "version": source.version})
    assert r.status_code == 400 and "cannot be merged into itself" in r.content.decode()
    r = c.post(
        f"/tickets/{source.number}/merge/",
        {"into": target.number, "version": source.version},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and r["HX-Redirect"] == f"/tickets/{target.number}/"
    assert "Merged into" in c.get(f"/tickets/{source.number}/").content.decode()


def test_bulk_merge(agent, pair, triage_lead):
    from tickets import bulk
    from tickets.services.bulk import run_bulk

    source, target = pair
    third = services.update_ticket(
        services.open_ticket(source.requester, "Printer again", "x"), triage_lead, tier=Tier.T1
    )
    picks = [(t.pk, t.version) for t in (source, target, third)]
    report = run_bulk(bulk.MERGE, agent, picks, {"into": target, "notify": False, "confirm_cross_org": False})
    assert report.changed == [source.number, third.number] and report.unchanged == [target.number]
    assert set(Ticket.objects.filter(merged_into=target).values_list("pk", flat=True)) == {
        source.pk,
        third.pk,
    }


def test_api_merge(agent, manager, pair):
    from rest_framework.test import APIClient

    source, target = pair
    api = APIClient()
    api.force_authenticate(agent)
    url = f"/api/tickets/{source.number}/merge/"
    assert api.post(url, {"into": target.number}, format="json").status_code == 428  # no version
    r = api.post(url, {"into": source.number, "version": source.version}, format="json")
    assert r.status_code == 400 and "into itself" in r.json()["into"][0]
    r = api.post(url, {"into": 999999, "version": source.version}, format="json")
    assert r.status_code == 400
    foreign = services.open_ticket(ContactFactory(), "Elsewhere", "x")
    r = api.post(url, {"into": foreign.number, "version": source.version}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "CrossOrganization"
    r = api.post(url, {"into": target.number, "version": source.version - 1}, format="json")
    assert r.status_code == 409
    r = api.post(url, {"into": target.number, "version": source.version}, format="json")
    assert r.status_code == 200 and r.json()["number"] == target.number
    assert Ticket.objects.get(pk=source.pk).merged_into_id == target.pk


def test_portal_reply_to_a_merged_ticket_lands_on_the_target(client, agent, pair, contact):
    source, target = pair
    merge(source, target, agent)
    user = UserFactory(username="req")
    contact.user = user
    contact.save()
    client.force_login(user)
    page = client.get(f"/tickets/{source.number}/").content.decode()
    assert 'id="merged-into"' in page and f"#{target.number}" in page
    client.post(f"/tickets/{source.number}/reply/", {"body": "Thanks, any news?"})
    assert Ticket.objects.get(pk=target.pk).messages.filter(body="Thanks, any news?").exists()


def test_merged_source_workspace_says_where_to_write(login, agent, pair):
    source, target = pair
    merge(source, target, agent, expected_version=source.version)
    source.refresh_from_db()
    c = login(agent)
    page = c.get(f"/tickets/{source.number}/").content.decode()
    assert 'id="reply-merged"' in page and f'href="/tickets/{target.number}/">#{target.number}<' in page
    with pytest.raises(InvalidInput, match=f"merged into #{target.number}: write there"):
        services.add_reply(source, agent, "Hello")


def test_likely_duplicates_leave_out_closed_tickets(agent, pair):
    source, target = pair
    Ticket.objects.filter(pk=target.pk).update(status=Status.CLOSED)
    assert likely_duplicates(source) == []

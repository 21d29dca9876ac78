import pytest
from django.core import mail as django_mail

from mail.models import InboundEmail
from mail.services import block_sender
from tests.factories import ContactFactory, OrganizationFactory, UserFactory
from tests.mail.helpers import deliver, make_email
from tickets import outbox, services
from tickets.mailing import reply_address
from tickets.models import Contact, Notification, Status, Ticket

pytestmark = pytest.mark.django_db


def test_new_email_opens_ticket_with_contact_org_cc_and_ack():
    org = OrganizationFactory(email_domains="client.example, client.test")
    row = deliver(
        make_email(sender="Ann Lee <Ann@Client.example>", cc="bob@client.test, support@helpdesk.localhost")
    )
    assert row.state == "processed" and row.ticket is not None
    ticket = row.ticket
    assert ticket.subject == "Printer on fire"
    assert ticket.requester.email == "ann@client.example" and ticket.requester.name == "Ann Lee"
    assert ticket.organization == org
    assert [c.email for c in ticket.cc_contacts.all()] == ["bob@client.test"]
    msg = ticket.messages.get()
    assert msg.email_message_id == row.email_message_id and msg.body == "It is on fire."
    ack = Notification.objects.get(ticket=ticket, reason="acknowledgement")
    assert ack.email_message_id.endswith("@helpdesk.localhost>")


def test_ack_switch_per_organization():
    OrganizationFactory(email_domains="quiet.example", send_acknowledgements=False)
    row = deliver(make_email(sender="x@quiet.example"))
    assert row.ticket and not Notification.objects.filter(reason="acknowledgement").exists()


def test_outbound_reply_threads_and_reply_joins_ticket():
    row = deliver(make_email())
    ticket = row.ticket
    agent = UserFactory(role="Agent")
    reply = services.add_reply(ticket, agent, "Have you tried water?")
    outbox.send_pending()
    sent = [m for m in django_mail.outbox if m.subject.startswith(f"[#{ticket.number}]")]
    out = sent[-1].message()
    assert out["Message-ID"] == Ticket.objects.get(pk=ticket.pk).messages.get(pk=reply.pk).email_message_id
    assert row.email_message_id in out["References"]
    assert out["Reply-To"] == reply_address(ticket)
    assert out.is_multipart() and sent[-1].alternatives[0][1] == "text/html"
    assert "http://" in sent[-1].body and f"/tickets/{ticket.number}/" in sent[-1].body
    answer = deliver(
        make_email(
            subject="Re: whatever",
            body="Yes.\n\nOn Mon, 1 Dec 2026, Support wrote:\n> Have you tried water?",
            headers={"In-Reply-To": out["Message-ID"]},
        )
    )
    assert answer.ticket_id == ticket.pk and answer.outcome.startswith("Added")
    assert ticket.messages.last().body == "Yes."


def test_internal_note_never_emailed():
    ticket = deliver(make_email()).ticket
    django_mail.outbox.clear()
    services.add_note(ticket, UserFactory(role="Agent"), "secret")
    outbox.send_pending()
    assert all("secret" not in m.body for m in django_mail.outbox)


def test_reply_by_token_address():
    ticket = deliver(make_email()).ticket
    row = deliver(make_email(subject="no number", to=reply_address(ticket), message_id="<x1@client.example>"))
    assert row.ticket_id == ticket.pk


def test_forged_token_opens_new_ticket():
    ticket = deliver(make_email()).ticket
    bad = reply_address(ticket)[:-20] + "0000000000000000@helpdesk.localhost"
    row = deliver(make_email(subject="hi", to=bad))
    assert row.ticket_id != ticket.pk


def test_subject_hijack_refused():
    ticket = deliver(make_email()).ticket
    row = deliver(make_email(sender="mallory@evil.example", subject=f"Re: [#{ticket.number}] give me"))
    assert row.ticket_id != ticket.pk
    assert "not on" in row.outcome
    assert ticket.messages.count() == 1


def test_stranger_with_our_message_id_refused():
    first = deliver(make_email())
    row = deliver(make_email(sender="mallory@evil.example", headers={"In-Reply-To": first.email_message_id}))
    assert row.ticket_id != first.ticket_id


def test_subject_number_from_requester_joins():
    ticket = deliver(make_email()).ticket
    row = deliver(make_email(subject=f"Re: [#{ticket.number}] Printer"))
    assert row.ticket_id == ticket.pk


def test_requester_reply_adds_and_drops_ccs():
    ticket = deliver(make_email(cc="bob@client.example")).ticket
    ticket.refresh_from_db()
    deliver(make_email(subject=f"[#{ticket.number}]", cc="carol@client.example"))
    assert [c.email for c in ticket.cc_contacts.all()] == ["carol@client.example"]
    deliver(make_email(sender="carol@client.example", subject=f"[#{ticket.number}]", cc="dan@client.example"))
    assert {c.email for c in ticket.cc_contacts.all()} == {"carol@client.example", "dan@client.example"}


def test_closed_ticket_reply_opens_linked_ticket():
    first = deliver(make_email())
    Ticket.objects.filter(pk=first.ticket_id).update(status=Status.CLOSED)
    row = deliver(make_email(headers={"In-Reply-To": first.email_message_id}))
    assert row.ticket_id != first.ticket_id
    assert Ticket.objects.get(pk=row.ticket_id).follow_up_of_id == first.ticket_id


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
        {"X-Auto-Response-Suppress": "All"},
        {"Precedence": "list"},
    ],
)
def test_automatic_mail_never_opens_tickets(headers):
    row = deliver(make_email(headers=headers))
    assert row.state == "discarded" and row.ticket is None
    assert not Notification.objects.exists()


def test_own_address_is_a_loop():
    row = deliver(make_email(sender="support@helpdesk.localhost"))
    assert row.state == "discarded" and "loop" in row.outcome


def test_blocklist_domain():
    block_sender("spam.example")
    row = deliver(make_email(sender="a@mail.spam.example"))
    assert row.state == "blocked" and not Ticket.objects.exists()


def test_sender_cap_holds(settings):
    settings.HELPDESK_MAIL_SENDER_CAP = 2
    rows = [deliver(make_email(subject=f"n{i}")) for i in range(3)]
    assert [r.state for r in rows] == ["processed", "processed", "held"]
    assert Ticket.objects.count() == 2


def test_missing_from_is_failed_not_lost():
    row = deliver(b"Subject: hi\r\n\r\nbody\r\n")
    assert row.state == "failed" and "From" in row.error
    assert bytes(row.raw).startswith(b"Subject")


def test_duplicate_delivery_one_ticket():
    raw = make_email()
    a, b = deliver(raw), deliver(raw)
    assert a.state == "processed" and b.state == "discarded"
    assert Ticket.objects.count() == 1 and InboundEmail.objects.count() == 2


def test_process_twice_is_noop():
    from mail.services import process

    row = deliver(make_email())
    assert process(row.pk) is None
    assert Ticket.objects.count() == 1


def test_existing_contact_reused_case_insensitively():
    c = ContactFactory(email="ann@client.example")
    row = deliver(make_email(sender="ANN@client.example"))
    assert row.ticket.requester == c and Contact.objects.count() == 1

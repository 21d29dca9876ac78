"""Side conversations: the partner is emailed with the team's always-CC addresses, the reply threads back
by Message-ID through the real inbound path, and the requester never sees any of it (portal, API, email)."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from mail.models import InboundEmail
from partners import services
from partners.models import SideConversation, SideMessage, TeamPartnerSettings
from tests.factories import ContactFactory, UserFactory
from tests.mail.helpers import deliver, make_email
from tickets import fragments
from tickets import services as ticket_services
from tickets.models import Message, Notification, Team, Tier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

SECRET = "Partner-only: the payout batch 7731 failed on their side."


@pytest.fixture
def approved(ticket, triage_lead, agent):
    t = ticket_services.update_ticket(ticket, triage_lead, tier=Tier.T2)
    return ticket_services.update_ticket(t, triage_lead, assignee=agent)


@pytest.fixture
def support_cc(db):
    team = Team.objects.get(slug="helpdesk")
    TeamPartnerSettings.objects.update_or_create(
        team=team, defaults={"always_cc": "dev@helpdesk.localhost, tier2@helpdesk.localhost"}
    )


def _drain():
    """What the workers do after commit (the test's transaction never commits): send both outboxes."""
    from tickets import outbox

    services.send_pending()
    outbox.send_pending()


def _start(ticket, agent, django_capture_on_commit_callbacks, body=SECRET):
    with django_capture_on_commit_callbacks(execute=True):
        side = services.start(
            ticket,
            agent,
            partner_email="api@payments.example",
            partner_name="Payments Co",
            subject="Payout batch failed",
            body=body,
        )
    _drain()
    return side


def test_partner_mail_copies_the_team_and_threads(
    approved, agent, support_cc, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    side = _start(approved, agent, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["api@payments.example"]
    assert sent.cc == ["dev@helpdesk.localhost", "tier2@helpdesk.localhost"]
    first_id = side.messages.get().email_message_id
    assert sent.extra_headers["Message-ID"] == first_id and "In-Reply-To" not in sent.extra_headers
    services.write(side, agent, "Any news?")
    _drain()
    follow = mail.outbox[1]
    assert follow.extra_headers["In-Reply-To"] == first_id and follow.subject == "Re: Payout batch failed"
    assert SideMessage.objects.filter(state="sent").count() == 2


def test_partner_reply_threads_back_through_the_inbound_path(
    approved, agent, support_cc, django_capture_on_commit_callbacks
):
    side = _start(approved, agent, django_capture_on_commit_callbacks)
    out_id = side.messages.get().email_message_id
    before = Message.objects.filter(ticket=approved).count()
    contacts = ContactFactory._meta.model.objects.count()
    raw = make_email(
        sender="Payments Co <api@payments.example>",
        subject="Re: Payout batch failed",
        body="Our ticket is PAY-42, we are on it.",
        headers={"In-Reply-To": out_id, "References": out_id},
    )
    row = deliver(raw)
    assert row.state == InboundEmail.State.PROCESSED and "side conversation" in row.outcome
    assert row.ticket == approved
    reply = side.messages.filter(direction="in").get()
    assert reply.body.startswith("Our ticket is PAY-42") and reply.from_email == "api@payments.example"
    assert Message.objects.filter(ticket=approved).count() == before  # not in the ticket's conversation
    assert ContactFactory._meta.model.objects.count() == contacts  # the partner is not made a contact
    assert Notification.objects.filter(reason="partner_replied", recipient_user=agent).count() == 1
    # A reply to our follow-up (References only) threads too.
    services.write(side, agent, "Thanks, we'll wait.")
    _drain()
    second = side.messages.filter(direction="out").last().email_message_id
    deliver(
        make_email(sender="ops@payments.example", body="Fixed.", headers={"References": f"{out_id} {second}"})
    )
    assert side.messages.filter(direction="in").count() == 2


def test_reply_to_the_side_address_threads_without_in_reply_to(
    approved, agent, support_cc, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    side = _start(approved, agent, django_capture_on_commit_callbacks)
    reply_to = mail.outbox[0].extra_headers["Reply-To"]
    assert reply_to.startswith("support+side-") and reply_to.endswith("@helpdesk.localhost")
    deliver(make_email(sender="api@payments.example", to=reply_to, body="Seen it.", message_id="auto"))
    assert side.messages.filter(direction="in", body__startswith="Seen it.").exists()
    forged = reply_to.replace(reply_to.split("-")[-1].split("@")[0], "0" * 16)
    row = deliver(make_email(sender="api@payments.example", to=forged, body="Forged."))
    assert not side.messages.filter(body__startswith="Forged.").exists()
    assert "side conversation" not in row.outcome


def test_requester_never_sees_side_conversations(
    approved, agent, support_cc, django_capture_on_commit_callbacks, client
):
    mail.outbox.clear()
    side = _start(approved, agent, django_capture_on_commit_callbacks)
    deliver(
        make_email(
            sender="api@payments.example",
            body="PARTNER-ANSWER-TEXT",
            headers={"In-Reply-To": side.messages.get().email_message_id},
        )
    )
    ticket_services.send_reply(approved, agent, "We are checking with the payment provider.")
    _drain()
    requester = approved.requester
    # Email: nothing the requester (or a CC of theirs) receives carries the side text.
    to_requester = [m for m in mail.outbox if requester.email in m.to + m.cc]
    assert to_requester, "the public reply reached the requester"
    for m in to_requester:
        text = m.body + "".join(a[0] for a in m.alternatives)
        assert SECRET not in text and "PARTNER-ANSWER-TEXT" not in text and "payments.example" not in text
    assert all(requester.email not in m.to + m.cc for m in mail.outbox if SECRET in m.body)
    # Portal and API as the requester.
    user = UserFactory(username="requester")
    requester.user = user
    requester.save()
    client.force_login(user)
    page = client.get(f"/tickets/{approved.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "We are checking with the payment provider" in html
    assert SECRET not in html and "PARTNER-ANSWER-TEXT" not in html and "Partner conversations" not in html
    api = APIClient()
    api.force_authenticate(user)
    body = api.get(f"/api/tickets/{approved.number}/").content.decode()
    assert "We are checking" in body and SECRET not in body and "PARTNER-ANSWER-TEXT" not in body
    # Nor can they reach the side-conversation actions.
    assert (
        client.post(f"/tickets/{approved.number}/partners/{side.pk}/write/", {"body": "x"}).status_code == 403
    )


def test_bad_input_keeps_the_typed_text(login, agent, approved):
    c = login(agent)
    r = c.post(
        f"/tickets/{approved.number}/partners/",
        {"partner_email": "not-an-address", "subject": "Hello", "body": "Typed for the partner"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Typed for the partner" in html and "Enter a valid email address" in html
    r = c.post(
        f"/tickets/{approved.number}/partners/",
        {"partner_email": approved.requester.email, "subject": "Hello", "body": "x"},
    )
    assert r.status_code == 400 and "requester&#x27;s address" in r.content.decode()
    cc = ContactFactory(email="colleague@client.example")
    approved.cc_contacts.add(cc)
    r = c.post(
        f"/tickets/{approved.number}/partners/",
        {"partner_email": "Colleague@client.example", "subject": "Hello", "body": "x"},
    )
    assert r.status_code == 400 and "copied on the ticket" in r.content.decode()
    assert not SideConversation.objects.exists()


def test_workspace_panel_start_write_and_partner_ticket(
    login, agent, approved, support_cc, django_assert_max_num_queries
):
    c = login(agent)
    page = c.get(f"/tickets/{approved.number}/").content.decode()
    assert "Always copied: dev@helpdesk.localhost, tier2@helpdesk.localhost" in page
    r = c.post(
        f"/tickets/{approved.number}/partners/",
        {
            "partner_email": "api@payments.example",
            "subject": "Payout",
            "body": "Hello partner",
            "partner_ticket": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Email to api@payments.example queued" in r.content.decode()
    side = SideConversation.objects.get()
    r = c.post(f"/tickets/{approved.number}/partners/{side.pk}/partner-ticket/", {"partner_ticket": "PAY-42"})
    assert r.status_code == 302
    side.refresh_from_db()
    assert side.partner_ticket == "PAY-42"
    r = c.post(f"/tickets/{approved.number}/partners/{side.pk}/write/", {"body": "  "})
    assert r.status_code == 400
    c.get(f"/tickets/{approved.number}/")
    fragments.changed([approved.pk])  # every fragment missed: the panels rendered afresh
    with django_assert_max_num_queries(60) as few:
        c.get(f"/tickets/{approved.number}/")
    for i in range(5):
        services.write(side, agent, f"Follow-up {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Follow-up 4" in c.get(f"/tickets/{approved.number}/").content.decode()


def test_team_setting_screen_for_managers(login, manager, agent, django_assert_max_num_queries):
    c = login(manager)
    with django_assert_max_num_queries(10):
        assert c.get("/partners/settings/").status_code == 200
    team = Team.objects.get(slug="engagement")
    r = c.post("/partners/settings/", {"team": team.pk, "always_cc": "sales@x.example, nope"})
    assert r.status_code == 400 and "Not an email address: nope" in r.content.decode()
    r = c.post("/partners/settings/", {"team": team.pk, "always_cc": "sales@x.example; dev@x.example"})
    assert r.status_code == 302
    assert TeamPartnerSettings.objects.get(team=team).addresses() == ["sales@x.example", "dev@x.example"]
    assert login(agent).get("/partners/settings/").status_code == 403


def test_a_bounce_of_partner_mail_marks_it_failed(
    approved, agent, support_cc, django_capture_on_commit_callbacks
):
    side = _start(approved, agent, django_capture_on_commit_callbacks)
    out = side.messages.get()
    dsn = (
        "From: MAILER-DAEMON@mx.payments.example\r\nTo: support@helpdesk.localhost\r\nSubject: Undelivered Mail\r\n"  # noqa: E501
        'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'  # noqa: E501
        "--B\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        "Final-Recipient: rfc822; api@payments.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {out.email_message_id}\r\nSubject: x\r\n--B--\r\n"
    ).encode()
    row = deliver(dsn)
    out.refresh_from_db()
    assert row.state == "processed" and "partner" in row.outcome and row.ticket == approved
    assert out.state == SideMessage.State.FAILED and "5.1.1" in out.error
    assert not side.messages.filter(direction="in").exists()


def test_the_tickets_team_decides_who_is_copied(approved, triage_lead, agent, support_cc):
    engagement = Team.objects.get(slug="engagement")
    TeamPartnerSettings.objects.update_or_create(
        team=engagement, defaults={"always_cc": "sales@helpdesk.localhost"}
    )
    assert services.always_cc(approved) == ["dev@helpdesk.localhost", "tier2@helpdesk.localhost"]
    routed = ticket_services.route_to_team(approved, triage_lead, engagement)
    side = services.start(routed, agent, partner_email="p@partner.example", subject="s", body="b")
    assert side.cc == ["sales@helpdesk.localhost"]

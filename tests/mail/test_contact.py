import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mail.contact_links import contact_link, contact_token
from mail.models import InboundEmail
from tickets import outbox
from tickets.models import Notification, Ticket

pytestmark = pytest.mark.django_db

DATA = {
    "name": "Ann Lee",
    "email": "ann@client.example",
    "subject": "Login broken",
    "message": "Cannot log in.",
}


def test_contact_form_opens_ticket_with_signed_link(client):
    response = client.post(
        reverse("mail:contact"), {**DATA, "attachments": [SimpleUploadedFile("a.txt", b"hi")]}
    )
    assert response.status_code == 200 and b"#" in response.content
    ticket = Ticket.objects.get()
    assert ticket.requester.email == "ann@client.example" and ticket.subject == "Login broken"
    assert InboundEmail.objects.get().channel == "contact"
    ack = Notification.objects.get(reason="acknowledgement")
    assert "/contact/t/" in ack.body
    link = ack.body.split("here, no password needed:\n")[1].split()[0]
    path = link.split("127.0.0.1:8000")[-1] if "127.0.0.1:8000" in link else "/" + link.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200 and b"Cannot log in." in page.content
    client.post(path, {"message": "Still broken."})
    assert ticket.messages.count() == 2


def test_bad_input_keeps_text(client):
    response = client.post(reverse("mail:contact"), {**DATA, "email": "not-an-email"})
    assert response.status_code == 400 and b"Cannot log in." in response.content
    assert not InboundEmail.objects.exists()


def test_honeypot_stores_nothing(client):
    response = client.post(reverse("mail:contact"), {**DATA, "website": "http://spam"})
    assert response.status_code == 200 and not InboundEmail.objects.exists()


def test_rate_limit_per_address(client, settings):
    settings.HELPDESK_CONTACT_RATE = "2/h"
    codes = [client.post(reverse("mail:contact"), {**DATA, "subject": f"s{i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 400] and Ticket.objects.count() == 2


def test_forged_or_foreign_link_404(client):
    client.post(reverse("mail:contact"), DATA)
    ticket = Ticket.objects.get()
    token = contact_token(ticket, ticket.requester)
    assert client.get(reverse("mail:contact_ticket", args=[token[:-2] + "xx"])).status_code == 404
    from tests.factories import ContactFactory

    other = ContactFactory()
    assert client.get(reverse("mail:contact_ticket", args=[contact_token(ticket, other)])).status_code == 404
    assert contact_link(ticket, ticket.requester).startswith("http")


def test_contact_form_never_threads_into_existing_ticket(client):
    client.post(reverse("mail:contact"), DATA)
    first = Ticket.objects.get()
    client.post(
        reverse("mail:contact"), {**DATA, "subject": f"[#{first.number}] more", "email": "eve@evil.example"}
    )
    assert Ticket.objects.count() == 2 and first.messages.count() == 1
    outbox.send_pending()

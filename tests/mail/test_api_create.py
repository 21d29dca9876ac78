import pytest
from rest_framework.test import APIClient

from tests.factories import OrganizationFactory, UserFactory, requester_user
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_staff_opens_ticket_for_a_requester():
    org = OrganizationFactory(email_domains="client.example")
    api = APIClient()
    agent = UserFactory(role="Agent")
    api.force_authenticate(agent)
    r = api.post(
        "/api/tickets/",
        {
            "subject": "Phone call",
            "body": "Called about VPN.",
            "requester_email": "New@Client.example",
            "requester_name": "New Person",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    ticket = Ticket.objects.get(number=r.json()["number"])
    assert ticket.requester.email == "new@client.example" and ticket.organization == org
    assert ticket.messages.get().author_user == agent


def test_staff_must_name_the_requester():
    api = APIClient()
    api.force_authenticate(UserFactory(role="Agent"))
    r = api.post("/api/tickets/", {"subject": "x", "body": "y"}, format="json")
    assert r.status_code == 400 and "requester_email" in r.json()


def test_requester_opens_as_themselves():
    user = requester_user()
    api = APIClient()
    api.force_authenticate(user)
    r = api.post(
        "/api/tickets/",
        {"subject": "Mine", "body": "Help", "requester_email": "other@x.example"},
        format="json",
    )
    assert r.status_code == 201
    assert Ticket.objects.get().requester == user.contact


def test_bad_input_400_and_anonymous_refused():
    api = APIClient()
    assert api.post("/api/tickets/", {"subject": "x", "body": "y"}, format="json").status_code in (401, 403)
    api.force_authenticate(UserFactory(role="Agent"))
    r = api.post("/api/tickets/", {"subject": "", "body": "y", "requester_email": "nope"}, format="json")
    assert r.status_code == 400

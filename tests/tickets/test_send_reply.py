"""One service call sends a reply with its options (issue #11 §3): the status after it, On hold's days and
what the reply extensions read ("next update by"), in one transaction — from the screen and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tickets import services
from tickets.errors import InvalidInput
from tickets.models import Message, Status, TicketEvent


@pytest.fixture
def owned(db, contact, agent):
    ticket = services.open_ticket(contact, "Sync broken", "Calendar sync stopped.")
    ticket = services.update_ticket(ticket, None, tier="t1")  # past triage (issue #15 item 14)
    return services.take(ticket, agent)


def _due() -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)


def test_send_reply_sets_status_and_promise_together(owned, agent):
    due = _due()
    services.send_reply(
        owned, agent, "Fix is on its way.", status=Status.PENDING, extras={"next_update": due.isoformat()}
    )
    owned.refresh_from_db()
    assert owned.status == Status.PENDING and owned.commitment_due_at == due
    assert TicketEvent.objects.filter(ticket=owned, verb="commitment_set").count() == 1


def test_a_bad_extension_value_undoes_the_reply_and_the_status(owned, agent):
    with pytest.raises(InvalidInput) as caught:
        services.send_reply(
            owned, agent, "Fix is on its way.", status=Status.PENDING, extras={"next_update": "soon"}
        )
    assert caught.value.field == "next_update"
    owned.refresh_from_db()
    assert owned.status == Status.OPEN and owned.commitment_due_at is None
    assert not Message.objects.filter(ticket=owned, body="Fix is on its way.").exists()


def test_api_reply_can_promise_the_next_update(owned, agent):
    api = APIClient()
    api.force_authenticate(agent)
    due = _due()
    r = api.post(
        f"/api/tickets/{owned.number}/reply/",
        {"body": "Looking into it.", "next_update": due.isoformat(), "version": owned.version},
        format="json",
    )
    assert r.status_code == 201
    owned.refresh_from_db()
    assert owned.commitment_due_at == due


def test_api_bad_promise_is_a_400_with_the_field_and_stores_nothing(owned, agent):
    api = APIClient()
    api.force_authenticate(agent)
    r = api.post(
        f"/api/tickets/{owned.number}/reply/",
        {"body": "Looking into it.", "next_update": "x", "version": owned.version},
    )
    assert r.status_code == 400 and "next_update" in r.json()
    r = api.post(
        f"/api/tickets/{owned.number}/note/",
        {"body": "Internal.", "next_update": _due().isoformat(), "version": owned.version},
    )
    assert r.status_code == 400 and "public reply" in r.json()["next_update"][0]
    assert not Message.objects.filter(ticket=owned, body__in=["Looking into it.", "Internal."]).exists()

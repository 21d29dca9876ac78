from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import ContactFactory
from tickets.errors import InvalidInput
from tickets.models import Kind, Notification, TicketEvent, Tier
from triage import services
from triage.models import AuthorisationRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def change_request(open_ticket):
    return open_ticket(
        "Change our payout account", "Please switch the bank details.", kind=Kind.CHANGE_REQUEST
    )


def test_unauthorised_change_request_cannot_be_approved(change_request, triage_lead):
    with pytest.raises(InvalidInput, match="not an authorised contact") as exc:
        services.triage_approve(ticket=change_request, actor=triage_lead, tier=Tier.T1)
    assert exc.value.field == "authorisation"
    change_request.refresh_from_db()
    assert change_request.tier == Tier.TRIAGE and not change_request.triage_decision


def test_other_kinds_and_authorised_requesters_are_not_blocked(open_ticket, authorised, triage_lead):
    services.triage_approve(ticket=open_ticket(kind=Kind.BUG), actor=triage_lead, tier=Tier.T1)
    ok = open_ticket(kind=Kind.CHANGE_REQUEST, contact=authorised)
    services.triage_approve(ticket=ok, actor=triage_lead, tier=Tier.T1)


def test_confirmation_by_authorised_contact_unlocks_approval(change_request, authorised, triage_lead):
    req = services.request_authorisation(ticket=change_request, actor=triage_lead, contact=authorised)
    mail = Notification.objects.get(reason="authorisation_request")
    assert mail.recipient_email == authorised.email and req.token in mail.body
    # asking the same contact again re-sends nothing
    assert services.request_authorisation(ticket=change_request, actor=triage_lead, contact=authorised) == req
    assert Notification.objects.filter(reason="authorisation_request").count() == 1
    with pytest.raises(InvalidInput):
        services.triage_approve(ticket=change_request, actor=triage_lead, tier=Tier.T1)

    services.respond_to_authorisation(token=req.token, confirm=True)
    req.refresh_from_db()
    assert req.confirmed_at and req.confirmed_by == authorised
    assert (
        Notification.objects.filter(recipient_user=triage_lead, reason="authorisation_confirmed").count() == 1
    )
    # answering twice changes nothing
    services.respond_to_authorisation(token=req.token, confirm=False)
    req.refresh_from_db()
    assert req.declined_at is None
    services.triage_approve(ticket=change_request, actor=triage_lead, tier=Tier.T2)
    change_request.refresh_from_db()
    assert change_request.tier == Tier.T2


def test_declined_confirmation_keeps_it_blocked(change_request, authorised, triage_lead):
    req = services.request_authorisation(ticket=change_request, actor=triage_lead, contact=authorised)
    services.respond_to_authorisation(token=req.token, confirm=False)
    with pytest.raises(InvalidInput):
        services.triage_approve(ticket=change_request, actor=triage_lead, tier=Tier.T1)


def test_only_authorised_contacts_of_the_same_org_can_be_asked(change_request, requester, triage_lead):
    other_org_authorised = ContactFactory(is_authorised=True)
    for contact in (requester, other_org_authorised):
        with pytest.raises(InvalidInput) as exc:
            services.request_authorisation(ticket=change_request, actor=triage_lead, contact=contact)
        assert exc.value.field == "contact"
    assert not AuthorisationRequest.objects.exists()


def test_bad_token_is_refused():
    with pytest.raises(InvalidInput, match="not valid"):
        services.respond_to_authorisation(token="nope", confirm=True)


def test_manager_override_needs_manager_and_reason(change_request, triage_lead, manager):
    with pytest.raises(InvalidInput, match="Only a manager"):
        services.override_authorisation(ticket=change_request, actor=triage_lead, reason="urgent")
    with pytest.raises(InvalidInput) as exc:
        services.override_authorisation(ticket=change_request, actor=manager, reason="  ")
    assert exc.value.field == "reason"
    assert not TicketEvent.objects.filter(verb="authorisation_overridden").exists()
    services.override_authorisation(ticket=change_request, actor=manager, reason="Owner confirmed by phone")
    event = TicketEvent.objects.get(verb="authorisation_overridden")
    assert event.actor == manager and event.data == {"reason": "Owner confirmed by phone"}
    services.triage_approve(ticket=change_request, actor=triage_lead, tier=Tier.T1)


def test_expired_link_is_refused_and_asking_again_sends_a_new_one(
    change_request, authorised, triage_lead, settings
):
    settings.HELPDESK_AUTHORISATION_LINK_DAYS = 14
    req = services.request_authorisation(ticket=change_request, actor=triage_lead, contact=authorised)
    old_token = req.token
    AuthorisationRequest.objects.filter(pk=req.pk).update(created_at=req.created_at - dt.timedelta(days=15))
    with pytest.raises(InvalidInput, match="expired"):
        services.respond_to_authorisation(token=old_token, confirm=True)
    req.refresh_from_db()
    assert req.is_open and req.confirmed_at is None
    again = services.request_authorisation(ticket=change_request, actor=triage_lead, contact=authorised)
    assert again.pk == req.pk and again.token != old_token
    mails = Notification.objects.filter(reason="authorisation_request").order_by("id")
    assert mails.count() == 2 and again.token in mails.last().body
    services.respond_to_authorisation(token=again.token, confirm=True)
    with pytest.raises(InvalidInput, match="not valid"):
        services.respond_to_authorisation(token=old_token, confirm=True)

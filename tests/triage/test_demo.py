from __future__ import annotations

import io

import pytest

from tests.factories import ContactFactory, OrganizationFactory
from tickets.models import Ticket
from triage import demo
from triage.models import AuthorisationRequest

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(triage_lead):
    org = OrganizationFactory()
    ContactFactory(organization=org, is_authorised=True)
    ContactFactory(organization=org, is_authorised=False)
    assert demo.seed(io.StringIO()) is True
    state = Ticket.objects.count(), AuthorisationRequest.objects.count()
    assert state == (3, 2)
    assert AuthorisationRequest.objects.filter(confirmed_at__isnull=True).count() == 1
    assert demo.seed(io.StringIO()) is False
    assert (Ticket.objects.count(), AuthorisationRequest.objects.count()) == state

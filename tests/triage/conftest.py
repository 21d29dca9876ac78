from __future__ import annotations

import pytest

from tests.factories import ContactFactory, OrganizationFactory, UserFactory


@pytest.fixture
def org(db):
    return OrganizationFactory(
        account_manager=UserFactory(username="am", role="Agent", first_name="Ann", last_name="Account"),
        programme_delivery_manager=UserFactory(
            username="pdm", role="Manager", first_name="Pat", last_name="Delivery"
        ),
    )


@pytest.fixture
def requester(org):
    return ContactFactory(organization=org, is_authorised=False, name="Una Requester")


@pytest.fixture
def authorised(org):
    return ContactFactory(organization=org, is_authorised=True, name="Ada Authorised")


@pytest.fixture
def open_ticket(requester):
    """``open_ticket(subject=…, kind=…)`` opens a ticket through the service (lands in triage)."""
    from tickets import services

    def _open(subject: str = "Calendar not syncing", body: str = "It stopped yesterday.", **kwargs):
        return services.open_ticket(kwargs.pop("contact", requester), subject, body, **kwargs)

    return _open


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Test users are created with hashed passwords; PBKDF2 costs ~1 s per user on a busy CI box."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

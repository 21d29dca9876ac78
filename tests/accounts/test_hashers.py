"""Issue #20 §4: sign-in under 300 ms — Argon2 first, PBKDF2 hashes upgraded on the next sign-in."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password

from tests.factories import PASSWORD, UserFactory

SHIPPED = importlib.import_module("helpdesk.settings").PASSWORD_HASHERS


def test_argon2_is_the_shipped_first_hasher_and_pbkdf2_still_verifies():
    assert SHIPPED[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in SHIPPED


@pytest.mark.django_db
def test_a_pbkdf2_hash_is_upgraded_to_argon2_on_the_next_sign_in(client, settings):
    settings.PASSWORD_HASHERS = SHIPPED
    user = UserFactory(username="old-hash", role="Agent")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post("/accounts/login/", {"username": "old-hash", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password(PASSWORD)
    client.logout()
    assert client.post("/accounts/login/", {"username": "old-hash", "password": PASSWORD}).status_code == 302

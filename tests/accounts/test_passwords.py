"""Issue #15 item 4: password change for staff and requesters, reset by email without enumeration."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.factories import PASSWORD, UserFactory, requester_user

NEW = "a-Brand-new-pass-7431"


@pytest.fixture
def requester(db, contact):
    return requester_user(contact)


@pytest.mark.parametrize("who", ["agent", "requester"])
def test_staff_and_requesters_change_their_password(client, who, agent, requester):
    user = {"agent": agent, "requester": requester}[who]
    client.force_login(user)
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and b"Change your password" in page.content
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password/changed/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200  # still signed in


def test_a_wrong_old_password_re_renders_with_the_error(client, agent):
    client.force_login(agent)
    response = client.post(
        "/accounts/password/", {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200 and b"Your old password was entered incorrectly" in response.content


def test_password_change_needs_sign_in(client, db):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_page_links_to_the_password_screen(client, agent):
    client.force_login(agent)
    assert b'href="/accounts/password/"' in client.get("/").content
    client.logout()
    assert b'href="/accounts/password/reset/"' in client.get("/accounts/login/").content


def test_reset_by_email_sets_a_new_password(client, db):
    user = UserFactory(username="agent5", email="agent5@example.com", role="Agent")
    response = client.post("/accounts/password/reset/", {"email": "AGENT5@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["agent5@example.com"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert b"Choose a new password" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert b"no longer works" in client.get(link, follow=True).content  # one use only


def test_reset_does_not_tell_who_has_an_account(client, db):
    UserFactory(username="agent5", email="agent5@example.com", role="Agent")
    known = client.post("/accounts/password/reset/", {"email": "agent5@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_reset_is_rate_limited_per_address_asked_and_per_client(client, db, settings):
    settings.PASSWORD_RESET_RATE = "3/h"
    for _ in range(3):
        assert client.post("/accounts/password/reset/", {"email": "x@example.com"}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": "X@Example.com"})
    assert response.status_code == 429 and b"Too many password reset requests" in response.content
    other = client.post("/accounts/password/reset/", {"email": "y@example.com"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert (
        client.post("/accounts/password/reset/", {"email": "z@example.com"}).status_code == 429
    )  # same client


def test_reset_limit_counts_in_the_database_when_the_cache_fails(client, db, settings, monkeypatch):
    from django_ratelimit import core

    from accounts.models import RateCounter

    settings.PASSWORD_RESET_RATE = "2/h"
    broken = {"count": 0, "limit": 0, "should_limit": True, "time_left": -1}  # what ratelimit says then
    monkeypatch.setattr(core, "get_usage", lambda *args, **kwargs: broken)
    assert client.post("/accounts/password/reset/", {"email": "x@example.com"}).status_code == 302
    assert client.post("/accounts/password/reset/", {"email": "x@example.com"}).status_code == 302
    assert client.post("/accounts/password/reset/", {"email": "x@example.com"}).status_code == 429
    assert RateCounter.objects.filter(key="password-reset-email:x@example.com").get().hits == 3


def test_a_mail_server_failure_is_not_shown(client, db, settings):
    settings.EMAIL_BACKEND = "tests.tickets.broken_mail.Backend"
    UserFactory(username="agent5", email="agent5@example.com", role="Agent")
    response = client.post("/accounts/password/reset/", {"email": "agent5@example.com"})
    assert response.status_code == 302

"""Issue #17 item 6: styled 403, 404, 500 and CSRF-failure pages that say what happened and where to go;
a refused request is logged once, without a traceback."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, RequestFactory
from django.views import defaults

from helpdesk.log_filters import ShortClientErrors
from tests.factories import requester_user

pytestmark = pytest.mark.django_db


def test_404_says_what_happened_and_where_to_go(client, agent):
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "We couldn't find that page" in html and 'href="/help/"' in html
    assert 'href="/accounts/login/"' in html  # signed out: sign in
    client.force_login(agent)
    html = client.get("/tickets/999999/").content.decode()
    assert "We couldn't find that page" in html and "Go to your start page" in html
    assert 'class="sidenav"' in html  # the site's layout, not a bare page


def test_403_explains_and_is_logged_once_without_a_traceback(client, contact, caplog):
    client.force_login(requester_user(contact))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        page = client.get("/queues/all/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "You can't open this page" in html and "ask a manager" in html
    refused = [
        r for r in caplog.records if r.name == "django.request" and getattr(r, "status_code", 0) == 403
    ]
    assert len(refused) == 1
    ShortClientErrors().filter(refused[0])  # what the console handler applies
    assert "Traceback" not in logging.Formatter().format(refused[0])


def test_500_page_needs_no_request_context():
    request = RequestFactory().get("/anything/")
    page = defaults.server_error(request)
    assert page.status_code == 500
    html = page.content.decode()
    assert "Something went wrong on our side" in html and "/static/css/app.css" in html


def test_csrf_failure_page(agent):
    browser = Client(enforce_csrf_checks=True)
    page = browser.post("/accounts/login/", {"username": "x", "password": "y"})
    assert page.status_code == 403
    html = page.content.decode()
    assert "This form has expired" in html and "reload the page" in html
    assert "CSRF verification failed" not in html  # not Django's technical page

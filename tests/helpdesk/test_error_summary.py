"""Forms with errors open with a summary that links each message to its field (issue #17 item 4)."""

from __future__ import annotations

import pytest

from tests.factories import requester_user

pytestmark = pytest.mark.django_db


def test_new_request_lists_its_errors_at_the_top_and_keeps_the_text(client, contact):
    client.force_login(requester_user(contact))
    page = client.post("/requests/new/", {"subject": "", "kind": "question", "body": "Typed text stays"})
    html = page.content.decode()
    assert page.status_code in (200, 400)
    assert 'class="error-summary" role="alert"' in html and 'href="#id_subject"' in html
    assert html.index("error-summary") < html.index('name="subject"')
    assert "Typed text stays" in html


def test_no_summary_on_a_fresh_form(client, contact):
    client.force_login(requester_user(contact))
    assert "error-summary" not in client.get("/requests/new/").content.decode()

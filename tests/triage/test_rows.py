"""The triage queue's compact rows built in Python (issue #20): the markup of ``row_compact.html``."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from escalation.services.known_issues import create_known_issue
from tests.factories import ContactFactory
from tickets.models import Kind
from triage import selectors
from triage.rows import compact_row
from triage.views import _page_context

pytestmark = pytest.mark.django_db


def test_compact_rows_match_the_row_template_byte_for_byte(triage_lead, open_ticket, requester, authorised):
    create_known_issue(triage_lead, title="Calendar <sync> broken for everyone", short_name="calsync")
    homeless = ContactFactory(organization=None, name="Lone & <Ranger>")
    open_ticket("Calendar sync <broken>", "It stopped & never came back. " * 20)
    open_ticket("Please add a user", "Add Bob.", kind=Kind.CHANGE_REQUEST)
    open_ticket("Authorised change", "Add Eve.", kind=Kind.CHANGE_REQUEST, contact=authorised)
    open_ticket("No organization", "Hello", contact=homeless)
    page = selectors.queue_page(query=selectors.QueueFilter(), user=triage_lead)
    request = RequestFactory().get("/triage/")
    request.user = triage_lead
    _page_context(page, request)
    assert len(page.rows) == 4
    with timezone.override("Europe/Berlin"):
        for row in page.rows:
            assert str(compact_row(row)) == render_to_string("triage/partials/row_compact.html", {"t": row})
    html = "".join(compact_row(row) for row in page.rows)
    assert "Lone &amp; &lt;Ranger&gt;" in html and "No organization" in html and "KI-" in html
    assert "Not an authorised contact" in html and "Authorised contact</span>" in html

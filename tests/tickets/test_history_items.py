"""The workspace's history items, built in Python (issue #20): the same markup as ``event_text.html``."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from tests.factories import UserFactory
from tickets.models import TicketEvent
from tickets.templatetags.agent_tags import history_items

pytestmark = pytest.mark.django_db


def test_history_items_match_the_event_template_byte_for_byte(ticket):
    named = UserFactory(username="sam", first_name="Sam", last_name="<Lee>", role="Agent")
    plain = UserFactory(username="kim&co", first_name="", last_name="", role="Agent")
    data = [
        {"old": "open", "new": "pending", "note": None, "hold_days": None},
        {"old": None, "new": "t2"},
        {"old": 3, "new": 0},
        {"tag": "12-<vpn>"},
        {"old": "open", "new": "hold", "hold_days": 5},
        {"number": 4},
        {},
        [],
        {"old": 1.5, "new": True},
    ]
    for i, d in enumerate(data):
        TicketEvent.objects.create(
            ticket=ticket, actor=[named, plain, None][i % 3], verb=f"verb_{i}_changed", data=d
        )
    events = list(ticket.events.select_related("actor").order_by("at", "id"))
    with timezone.override("Europe/Berlin"):
        expected = "".join(
            f"<li>{render_to_string('tickets/partials/event_text.html', {'e': e})}</li>" for e in events
        )
        assert str(history_items(events)) == expected
    assert "Sam &lt;Lee&gt;" in expected and "kim&amp;co" in expected and "12-&lt;vpn&gt;" in expected

"""One staff list and one display name for every screen (issue #11 §6)."""

from __future__ import annotations

from helpdesk.people import display_name, staff_users
from helpdesk.permissions import MANAGER
from tests.factories import UserFactory
from tickets.forms import QueueQueryForm


def test_staff_users_one_rule(db):
    agent = UserFactory(username="a1", role="Agent", first_name="Ann")
    manager = UserFactory(username="m1", role="Manager", first_name="Bob")
    root = UserFactory(username="root", first_name="Cy", is_superuser=True)
    UserFactory(username="gone", role="Agent", is_active=False)
    UserFactory(username="nobody")
    assert list(staff_users()) == [agent, manager, root]
    assert list(staff_users(MANAGER)) == [manager, root]


def test_display_name(db):
    assert display_name(UserFactory(username="jd", first_name="Jo", last_name="Doe")) == "Jo Doe"
    assert display_name(UserFactory(username="plain", first_name="", last_name="")) == "plain"
    assert display_name(None) == "" and display_name(None, nobody="someone") == "someone"


def test_queue_query_form_drops_and_explains_bad_values():
    query = QueueQueryForm(
        {
            "status": "bogus",
            "priority": "high",
            "band": "blue",
            "org": "x1",
            "q": "  two   words ",
            "sort": "?",
        }
    ).query()
    assert (query.status, query.priority, query.band, query.organization, query.text) == (
        "",
        "high",
        "",
        None,
        "two words",
    )
    assert len(query.errors) == 4 and query.sort == "sla"

"""First-response and resolution targets per priority: validated, tunable, shown on the dashboard."""

import pytest

from playbook import params, services
from playbook.params import PRIORITIES, InvalidParameter
from tickets.models import Priority

pytestmark = pytest.mark.django_db


def test_the_priorities_are_the_tickets_priorities():
    assert set(PRIORITIES) == set(Priority.values)


def test_targets_are_tuned_from_the_screens_text(manager):
    services.set_param("first_response_targets", "urgent 2, high 4, normal 8, low 24", manager)
    assert params.get("first_response_targets") == {"urgent": 2, "high": 4, "normal": 8, "low": 24}


@pytest.mark.parametrize(
    ("key", "raw", "words"),
    [
        ("first_response_targets", {"urgent": 0, "high": 4, "normal": 8, "low": 24}, "urgent must be"),
        ("first_response_targets", {"urgent": 1, "high": 4, "normal": 8}, "low priority is missing"),
        (
            "first_response_targets",
            {"urgent": 1, "high": 4, "normal": 8, "low": 2, "vip": 1},
            "unknown priority",
        ),
        ("resolution_targets", {"urgent": 8, "high": 2, "normal": 72, "low": 168}, "cannot be sooner"),
        ("resolution_targets", "urgent", "write it as"),
    ],
)
def test_bad_targets_are_refused_naming_the_field(manager, key, raw, words):
    with pytest.raises(InvalidParameter) as exc:
        services.set_param(key, raw, manager)
    assert exc.value.field == key and words in str(exc.value)
    assert params.get(key) == params.default(key)


def test_the_dashboard_shows_the_targets(login, manager):
    services.set_param("first_response_targets", {"urgent": 3, "high": 4, "normal": 8, "low": 24}, manager)
    body = login(manager).get("/dashboard/").content.decode()
    assert '<td class="num target" data-priority="urgent">3 h</td>' in body

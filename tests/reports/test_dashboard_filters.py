"""The dashboard's filter bar (issue #20 §6): options joined in Python, the organization list read once
every few seconds, the chosen values still selected."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganizationFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_filter_options_are_escaped_selected_and_the_organizations_read_once(login, manager):
    orgs = [OrganizationFactory(name=f"Org <{i}>") for i in range(3)]
    team = TeamFactory(name="Night & day")
    c = login(manager)
    html = c.get(
        f"/dashboard/?organization={orgs[1].pk}&team={team.pk}&priority=high&tier=t2"
    ).content.decode()
    assert f'<option value="{orgs[1].pk}" selected>Org &lt;1&gt;</option>' in html
    assert f'<option value="{orgs[0].pk}">Org &lt;0&gt;</option>' in html
    assert f'<option value="{team.pk}" selected>Night &amp; day</option>' in html
    assert '<option value="high" selected>High</option>' in html and '<option value="t2" selected>' in html
    with CaptureQueriesContext(connection) as ctx:
        again = c.get("/dashboard/").content.decode()
    assert not [q for q in ctx.captured_queries if 'FROM "tickets_organization"' in q["sql"]]
    assert f'<option value="{orgs[1].pk}">Org &lt;1&gt;</option>' in again  # no longer selected

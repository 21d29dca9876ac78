"""Dashboard and handover screens: permissions, constant queries, CSV, bad input, HTMX partial."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import charts
from sla.models import SlaClock
from tests.factories import TicketFactory, UserFactory
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db
DASHBOARD, HANDOVER = "/dashboard/", "/reports/handover/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the compliance trend caches closed weeks


def seed(n: int) -> None:
    """n tickets of every shape the page shows: bands, owners, clocks, events, commitments."""
    owner = UserFactory(username=f"owner{n}", role="Agent")
    for i in range(n):
        t = TicketFactory(
            tier=["t1", "t2", "t3"][i % 3],
            status=["open", "pending", "review"][i % 3],
            sla_band=["green", "yellow", "red"][i % 3],
            assignee=owner if i % 2 else None,
            commitment_missed=i % 4 == 0,
            priority="high",
        )
        Ticket.objects.filter(pk=t.pk).update(first_response_at=t.created_at + dt.timedelta(minutes=i + 1))
        SlaClock.objects.create(
            ticket=t,
            tier=t.tier,
            started_at=t.created_at,
            stopped_at=t.created_at,
            final_band=["green", "red"][i % 2],
        )
        TicketEvent.objects.create(
            ticket=t, verb="tag_added", data={"tag": "Process Tweak" if i % 2 else "x-1"}
        )
        TicketEvent.objects.create(ticket=t, verb="escalated", data={"from": "t2", "to": "t3"})


@pytest.mark.parametrize("url", [DASHBOARD, HANDOVER, "/dashboard/export.csv", "/reports/handover.csv"])
def test_anonymous_users_go_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [DASHBOARD, HANDOVER, "/dashboard/export.csv", "/reports/handover.csv"])
def test_agents_and_triage_leads_are_refused(login, agent, triage_lead, url):
    assert login(agent).get(url).status_code == 403
    assert login(triage_lead).get(url).status_code == 403


def test_requesters_are_refused(login):
    from tests.factories import requester_user

    assert login(requester_user()).get(DASHBOARD).status_code == 403


def test_urls_are_named_for_the_nav():
    assert reverse("reports:dashboard") == DASHBOARD and reverse("reports:handover") == HANDOVER


@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_managers_and_admins_see_the_dashboard(request, login, role):
    seed(3)
    response = login(request.getfixturevalue(role)).get(DASHBOARD)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="bands-table"' in body and "<svg" in body and "<title" in body
    assert "SLA compliance trend" in body and "Agent load" in body and "Patterns" in body


def _count(client, url: str) -> int:
    from django.core.cache import cache

    from helpdesk import localcache

    cache.clear()  # compare cold with cold (closed trend weeks are cached) …
    localcache.forget_all()  # … and the seconds of per-process memory in front of it (playbook parameters)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", [DASHBOARD, HANDOVER + "?week=" + dt.datetime.now(dt.UTC).date().strftime("%G-W%V")]
)
def test_the_number_of_queries_is_constant(login, manager, django_assert_max_num_queries, url):
    client = login(manager)
    seed(2)
    small = _count(client, url)
    seed(10)
    assert _count(client, url) == small
    # session + user + groups, filter choices, then one query per panel (see reports/)
    with django_assert_max_num_queries(20):
        client.get(url)


def test_htmx_refresh_gets_only_the_live_panels(login, manager):
    seed(2)
    response = login(manager).get(DASHBOARD, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("{#") is False
    assert 'id="live"' in body and "<html" not in body and "SLA compliance trend" not in body


@pytest.mark.parametrize(
    "query, words",
    [
        ("?from=2026-11-20&to=2026-11-01", "inverted"),
        ("?tier=t9", "Unknown tier"),
        ("?team=x", "Unknown team"),
    ],
)
def test_bad_filters_show_the_default_view_with_a_message(login, manager, query, words):
    response = login(manager).get(DASHBOARD + query)
    body = response.content.decode()
    assert response.status_code == 400 and words in body and 'id="bands-table"' in body


def test_garbage_week_is_a_400_with_a_clear_message_and_last_week(login, manager):
    response = login(manager).get(HANDOVER + "?week=garbage")
    body = response.content.decode()
    assert response.status_code == 400
    assert "is not a week like 2026-W47" in body and "Changing of the Guard" in body


def test_handover_shows_week_navigation(login, manager):
    body = login(manager).get(HANDOVER + "?week=2026-W10").content.decode()
    assert "?week=2026-W09" in body and "?week=2026-W11" in body


def test_dashboard_csv_has_the_band_table(login, manager):
    TicketFactory(tier="t2", status="open", sla_band="red")
    TicketFactory(tier="t2", status="open", sla_band="green")
    response = login(manager).get("/dashboard/export.csv?table=bands")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(StringIO(response.content.decode())))
    assert rows[0] == ["Tier", "Green", "Yellow", "Red", "Paused", "No band", "Total"]
    assert ["T2", "1", "0", "1", "0", "0", "2"] in rows


@pytest.mark.parametrize(
    "table",
    ["bands", "backlog", "compliance", "times", "load", "commitments", "breaches", "review", "patterns"],
)
def test_every_dashboard_table_exports(login, manager, table):
    seed(3)
    response = login(manager).get(f"/dashboard/export.csv?table={table}")
    assert response.status_code == 200 and len(response.content.decode().splitlines()) >= 1


@pytest.mark.parametrize("table", ["escalations", "open", "review", "missed", "known_issues"])
def test_every_handover_table_exports(login, manager, table):
    seed(3)
    response = login(manager).get(f"/reports/handover.csv?table={table}&week=2026-W01")
    assert response.status_code == 200


def test_csv_refuses_unknown_tables_and_bad_input(login, manager):
    client = login(manager)
    assert client.get("/dashboard/export.csv?table=nope").status_code == 400
    assert client.get("/dashboard/export.csv?from=2026-13-01").status_code == 400
    bad = client.get("/reports/handover.csv?week=garbage")
    assert bad.status_code == 400 and "not a week" in bad.content.decode()


def test_csv_neutralises_spreadsheet_formulas(login, manager):
    t = TicketFactory(subject='=HYPERLINK("http://x")', status="open", commitment_missed=True)
    assert t.pk
    body = login(manager).get("/dashboard/export.csv?table=commitments").content.decode()
    assert "'=HYPERLINK" in body


def test_charts_are_accessible_svg():
    svg = charts.stacked_bar_chart(
        "Bands <now>", ["T1", "T2"], [("Green", "green", [1, 2]), ("Red", "red", [0, 3])]
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg and "Bands &lt;now&gt;" in svg
    assert "T2 Red: 3" in svg
    line = charts.line_chart("Trend", ["a", "b", "c"], [("T1", [50.0, None, 100.0])])
    assert "no data" in line and line.count("<circle") == 2
    bar = charts.bar_chart("Age", ["<1d"], [0])
    assert "<rect" in bar


def test_superuser_without_group_is_admin(login):
    boss = UserFactory(username="root")
    boss.is_superuser = True
    boss.save()
    assert login(boss).get(DASHBOARD).status_code == 200


def test_band_links_keep_the_dashboard_filters():
    from reports.filters import DashboardFilters, default_filters
    from reports.views import queue_link

    base = default_filters()
    filters = DashboardFilters(
        date_from=base.date_from, date_to=base.date_to, organization_id=7, priority="high"
    )
    assert queue_link("t2", "red", filters) == "/queues/t2/?band=red&org=7&priority=high"
    assert queue_link("triage", "red", filters) == "/triage/?band=red"


def test_the_band_table_adds_up_with_a_no_band_column(login, manager):
    """Issue #15 item 11: tickets with no band yet have their own column, as in the CSV, so each row's
    cells add up to its total."""
    import re

    TicketFactory(tier="t1", status="open", sla_band="green")
    TicketFactory(tier="t1", status="open", sla_band="")
    body = login(manager).get(DASHBOARD).content.decode()
    table = body.split('id="bands-table"')[1].split("</table>")[0]
    assert ">No band</th>" in table
    row = table.split('data-tier="t1"')[1].split("</tr>")[0]
    cells = [int(n) for n in re.findall(r">(\d+)<", row)]
    assert sum(cells[:-1]) == cells[-1] == 2


def test_engagement_reasons_are_counted_on_the_dashboard_and_in_its_csv(login, manager, agent, ticket):
    from escalation.services import routing
    from tests.factories import ContactFactory
    from tickets import services

    routing.send_to_engagement(ticket, agent, reason="invoice_dispute")
    other = services.open_ticket(ContactFactory(), "Closing our account", "We may leave.")
    routing.send_to_engagement(other, agent, reason="account_closure")
    third = services.open_ticket(ContactFactory(), "Call me", "Please.")
    routing.send_to_engagement(third, agent)  # no reason given (the API may omit it)
    client = login(manager)
    body = client.get(DASHBOARD).content.decode()
    table = body.split('id="engagement-table"')[1].split("</table>")[0]
    assert 'Pushing back on an invoice, not resolved in one email</th><td class="num">1<' in table
    assert 'The client mentions closing their account</th><td class="num">1<' in table
    assert 'A sales opportunity</th><td class="num">0<' in table
    assert 'No reason given</th><td class="num">1<' in table
    rows = list(csv.reader(StringIO(client.get("/dashboard/export.csv?table=engagement").content.decode())))
    assert rows[0] == ["Reason", "Tickets sent to Engagement"]
    assert ["A level-3 security issue", "0"] in rows and ["No reason given", "1"] in rows


def test_the_dashboard_is_kept_rendered_until_the_next_ticket_event(
    login, manager, agent, django_assert_max_num_queries
):
    """Issue #20 §6: the same minute, nothing changed → the page from the cache (session, user, groups);
    any ticket event → rendered afresh with it."""
    from tickets import services

    client = login(manager)
    seed(2)
    client.get(DASHBOARD)
    with django_assert_max_num_queries(4):
        assert client.get(DASHBOARD).status_code == 200
    services.open_ticket(TicketFactory().requester, "Printer on fire", "Smoke everywhere")
    with CaptureQueriesContext(connection) as again:
        assert client.get(DASHBOARD).status_code == 200
    assert len(again.captured_queries) > 10  # the event: every panel read again

""" "Apply macro" as a bulk action: each row through apply_macro with its version; a row changed meanwhile
or one the macro cannot apply to is skipped, the rest done, nothing half-applied."""

import pytest

from macros.bulk import APPLY_MACRO, MacroParams
from macros.models import Macro
from tests.factories import ContactFactory, TeamFactory, UserFactory
from tickets import services
from tickets.models import Message, Priority, Ticket, Tier
from tickets.services.bulk import run_bulk

pytestmark = pytest.mark.django_db


def _t1(lead, n=3):
    contact = ContactFactory()
    return [
        services.update_ticket(services.open_ticket(contact, f"Jam {i}", "Paper."), lead, tier=Tier.T1)
        for i in range(n)
    ]


def test_bulk_macro_skips_the_row_changed_meanwhile(agent, triage_lead):
    a, b, c = _t1(triage_lead)
    picks = [(t.pk, t.version) for t in (a, b, c)]
    macro = Macro.objects.create(title="Urgent + note", priority="urgent", note="Looked at in bulk.")
    services.update_ticket(b, UserFactory(username="sam", role="Agent"), priority=Priority.LOW)
    report = run_bulk(APPLY_MACRO, agent, picks, {"macro": macro})
    assert report.changed == [a.number, c.number]
    assert [n for n, _ in report.skipped] == [b.number]
    assert Ticket.objects.get(pk=b.pk).priority == Priority.LOW
    assert not Message.objects.filter(ticket=b, body="Looked at in bulk.").exists()
    assert Message.objects.filter(body="Looked at in bulk.").count() == 2


def test_bulk_invalid_macro_changes_no_row(agent, triage_lead):
    rows = _t1(triage_lead, 2)
    team = TeamFactory(name="Old", slug="old")
    macro = Macro.objects.create(title="To old", team_slug="old", priority="high")
    team.delete()
    report = run_bulk(APPLY_MACRO, agent, [(t.pk, t.version) for t in rows], {"macro": macro})
    assert report.changed == [] and len(report.skipped) == 2
    assert "no longer exists" in report.summary()
    assert set(Ticket.objects.filter(pk__in=[t.pk for t in rows]).values_list("priority", flat=True)) == {
        "normal"
    }


def test_bar_offers_shared_macros_only(agent):
    mine = Macro.objects.create(title="Personal one", owner=agent, priority="low")
    form = MacroParams(prefix="macro")
    titles = [label for _, label in form.fields["macro"].choices]
    assert "New client: free trial + Engagement — public reply, send to Engagement" in titles
    assert not any(t.startswith("Personal one") for t in titles)
    bad = MacroParams({"macro-macro": str(mine.pk)}, prefix="macro")
    assert not bad.is_valid()


def test_bulk_bar_over_http(login, agent, triage_lead):
    rows = _t1(triage_lead, 2)
    macro = Macro.objects.create(title="Prio high", priority="high")
    data = {"action": "macro", "macro-macro": str(macro.pk), "ticket": [f"{t.pk}:{t.version}" for t in rows]}
    r = login(agent).post("/bulk/", data, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "2 changed" in r.content.decode()


def test_bulk_macro_costs_the_same_per_row(agent, triage_lead):
    """Each row goes through the single-ticket services (lock, version, event, outbox), so the cost is a
    fixed number of queries per row: 50 rows cost 10 times what 5 rows cost, never more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    macro = Macro.objects.create(title="Bulk mix", priority="high", add_tags="bulk", note="Bulk note.")
    small, big = _t1(triage_lead, 5), _t1(triage_lead, 50)
    with CaptureQueriesContext(connection) as five:
        report = run_bulk(APPLY_MACRO, agent, [(t.pk, t.version) for t in small], {"macro": macro})
    assert len(report.changed) == 5
    with CaptureQueriesContext(connection) as fifty:
        report = run_bulk(APPLY_MACRO, agent, [(t.pk, t.version) for t in big], {"macro": macro})
    assert len(report.changed) == 50
    per_row = len(five.captured_queries) / 5
    assert len(fifty.captured_queries) <= 50 * per_row + 5, (
        len(five.captured_queries),
        len(fifty.captured_queries),
    )

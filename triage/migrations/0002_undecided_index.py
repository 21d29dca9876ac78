"""PostgreSQL partial index over the tickets waiting for a triage decision: the triage queue's page
(ordered by id) and its age-band counts read only these few rows (index-only for the counts) instead of
filtering every ticket in the Triage tier. SQLite: nothing to do."""

from django.db import migrations

from helpdesk.pg import pg_indexes

INDEXES = {
    "ticket_triage_undecided": (
        "tickets_ticket (id) INCLUDE (status, created_at) WHERE tier = 'triage' AND triage_decision = ''"
    ),
}


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial"), ("tickets", "0007_dashboard_indexes")]
    operations = [pg_indexes(INDEXES)]

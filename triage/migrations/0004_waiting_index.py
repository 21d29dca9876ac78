"""The triage queue's partial index narrowed to what the queue shows (issue #20): undecided tickets in
the Triage tier that are neither finished nor spam. The first index also held every resolved and closed
undecided ticket (ten times the waiting ones on a seeded 100k), which the age-band counts read and threw
away. SQLite: nothing to do."""

from django.db import migrations

from helpdesk.pg import pg_indexes

INDEXES = {
    "ticket_triage_waiting": (
        "tickets_ticket (id) INCLUDE (status, created_at) WHERE tier = 'triage' AND triage_decision = '' "
        "AND spam_at IS NULL AND status NOT IN ('resolved', 'closed')"
    ),
}


def _drop_old(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_triage_undecided")


def _restore_old(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ticket_triage_undecided ON tickets_ticket (id) "
            "INCLUDE (status, created_at) WHERE tier = 'triage' AND triage_decision = ''"
        )


class Migration(migrations.Migration):
    dependencies = [("triage", "0003_effort_review")]
    operations = [pg_indexes(INDEXES), migrations.RunPython(_drop_old, _restore_old, elidable=False)]

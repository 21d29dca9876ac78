"""PostgreSQL-only GIN expression indexes for the queue's full-text search (tickets/queues.py).

The expressions match exactly what ``SearchVector(<field>, config="english")`` compiles to, so the planner
uses them. SQLite has no full-text search here (the queue falls back to ``icontains``): nothing to do."""

from django.db import migrations

INDEXES = {
    "ticket_subject_fts": "tickets_ticket USING gin (to_tsvector('english'::regconfig, COALESCE(subject, '')))",
    "message_body_fts": "tickets_message USING gin (to_tsvector('english'::regconfig, COALESCE(body, '')))",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, spec in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {spec}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_agent_screens")]
    operations = [migrations.RunPython(create, drop, elidable=False)]

"""PostgreSQL-only GIN expression indexes for the queue's full-text search (tickets/queues.py).

The expressions match exactly what ``SearchVector(<field>, config="english")`` compiles to, so the planner
uses them. SQLite has no full-text search here (the queue falls back to ``icontains``): nothing to do."""

from django.db import migrations

from helpdesk.pg import pg_indexes

INDEXES = {
    "ticket_subject_fts": "tickets_ticket USING gin (to_tsvector('english'::regconfig, COALESCE(subject, '')))",
    "message_body_fts": "tickets_message USING gin (to_tsvector('english'::regconfig, COALESCE(body, '')))",
}


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_agent_screens")]
    operations = [pg_indexes(INDEXES)]

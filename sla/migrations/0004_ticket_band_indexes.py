"""Partial indexes for the band job on the tickets table. They live here because only the sla app
queries them (``sla.bands.due_predicate`` has exactly their shape); plain SQL valid on PostgreSQL and
SQLite. Candidates to move into ``tickets.Ticket.Meta.indexes``."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS sla_ticket_green_due ON tickets_ticket (sla_green_until) "
    "WHERE sla_band = 'green'",
    "CREATE INDEX IF NOT EXISTS sla_ticket_yellow_due ON tickets_ticket (sla_yellow_until) "
    "WHERE sla_band IN ('green', 'yellow')",
]
BACKWARD = ["DROP INDEX IF EXISTS sla_ticket_green_due", "DROP INDEX IF EXISTS sla_ticket_yellow_due"]


class Migration(migrations.Migration):
    dependencies = [("sla", "0003_default_calendar_and_policies")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

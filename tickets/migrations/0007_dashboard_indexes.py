"""PostgreSQL covering indexes for the manager dashboard (sla/reports*.py), measured in
bench/README_dashboard.md: the "right now" panels read unfinished tickets from one index only, and the
response-time percentiles, patterns and handover filter on created_at. SQLite: nothing to do."""

from django.db import migrations

from helpdesk.pg import pg_indexes

INDEXES = {
    "ticket_unfinished_stats": (
        "tickets_ticket (tier, sla_band) INCLUDE (id, status, created_at, commitment_missed, assignee_id, "
        "updated_at, priority, organization_id, team_id) "
        "WHERE status IN ('open', 'review', 'pending', 'waiting', 'hold')"
    ),
    "ticket_created_times": "tickets_ticket (created_at) INCLUDE (priority, first_response_at, resolved_at)",
}


class Migration(migrations.Migration):
    dependencies = [("tickets", "0006_queue_indexes")]
    operations = [pg_indexes(INDEXES)]

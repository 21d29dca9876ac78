"""PostgreSQL partial indexes matching the queue screens' WHERE + ORDER BY (tickets/queues.py), so a
queue page is an index range scan of 51 rows whatever the table size (measured in bench/README.md).

Only unfinished tickets are indexed (a few percent of all rows). Kept out of the model state on purpose:
they are a PostgreSQL tuning detail, like the full-text indexes of 0004. SQLite: nothing to do."""

from django.db import migrations

from helpdesk.pg import pg_indexes

UNFINISHED = "status IN ('open', 'review', 'pending', 'waiting', 'hold')"
INDEXES = {
    # tier queues: default sort (SLA due) and "last update"
    "ticket_q_tier_sla": f"tickets_ticket (tier, sla_yellow_until, id) WHERE {UNFINISHED}",
    "ticket_q_tier_updated": f"tickets_ticket (tier, updated_at DESC, id DESC) WHERE {UNFINISHED}",
    # All open / Unassigned / team queues
    "ticket_q_all_sla": f"tickets_ticket (sla_yellow_until, id) WHERE {UNFINISHED}",
    "ticket_q_all_updated": f"tickets_ticket (updated_at DESC, id DESC) WHERE {UNFINISHED}",
    "ticket_q_all_id": f"tickets_ticket (id) WHERE {UNFINISHED}",
}


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_seed_canned_responses")]
    operations = [pg_indexes(INDEXES)]

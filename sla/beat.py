"""Periodic jobs owned by the sla app (merged into CELERY_BEAT_SCHEDULE by settings). No Django imports."""

import os

_EVERY = float(os.environ.get("HELPDESK_SLA_INTERVAL", "60"))

SCHEDULE: dict[str, dict] = {
    "sla-update-bands": {"task": "sla.tasks.update_sla_bands", "schedule": _EVERY},
    "sla-nudge-stale-tickets": {"task": "sla.tasks.nudge_stale_tickets", "schedule": _EVERY},
    "sla-check-commitments": {"task": "sla.tasks.check_commitments", "schedule": _EVERY},
}

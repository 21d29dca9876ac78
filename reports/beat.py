"""Periodic jobs of the reports app (merged into CELERY_BEAT_SCHEDULE by settings). No Django imports."""

import os

SCHEDULE: dict[str, dict] = {
    # Keeps the dashboard's 5-minute percentile cache warm for its default view.
    "reports-warm-dashboard": {
        "task": "reports.tasks.warm_dashboard",
        "schedule": float(os.environ.get("HELPDESK_DASHBOARD_WARM_INTERVAL", "240")),
    },
}

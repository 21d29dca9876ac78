"""Periodic jobs owned by the tickets app (merged into CELERY_BEAT_SCHEDULE by settings)."""

import os

_TIMER_SECONDS = float(os.environ.get("HELPDESK_TIMER_INTERVAL", "60"))

SCHEDULE: dict[str, dict] = {
    "tickets-run-due-status-timers": {
        "task": "tickets.tasks.run_due_status_timers",
        "schedule": _TIMER_SECONDS,
    },
    "tickets-send-notifications": {
        "task": "tickets.tasks.send_notifications",
        "schedule": 30.0,
    },
}

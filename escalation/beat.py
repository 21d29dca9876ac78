"""Periodic jobs owned by the escalation app (merged into CELERY_BEAT_SCHEDULE by settings)."""

SCHEDULE: dict[str, dict] = {
    "escalation-page-unacknowledged-oncall": {
        "task": "escalation.tasks.page_unacknowledged_oncall",
        "schedule": 60.0,
    },
    "escalation-rota-handbacks": {
        "task": "escalation.tasks.rota_handbacks",
        "schedule": 300.0,
    },
    "escalation-t4-tuesday-check": {
        "task": "escalation.tasks.t4_tuesday_check",
        "schedule": 900.0,
    },
    "escalation-resume-broadcasts": {
        "task": "escalation.tasks.resume_broadcasts",
        "schedule": 300.0,
    },
}

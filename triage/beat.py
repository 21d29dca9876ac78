"""Periodic jobs owned by the triage app (merged into CELERY_BEAT_SCHEDULE by settings)."""

SCHEDULE: dict[str, dict] = {}

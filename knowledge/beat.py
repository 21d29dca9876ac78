"""Periodic jobs owned by the knowledge app (merged into CELERY_BEAT_SCHEDULE by settings)."""

import os

SCHEDULE: dict[str, dict] = {
    "knowledge-duplicate-answers": {
        "task": "knowledge.tasks.find_duplicate_answers",
        "schedule": float(os.environ.get("KNOWLEDGE_DUPLICATE_INTERVAL", "3600")),
    },
}

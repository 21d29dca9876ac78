"""Celery tasks of the knowledge app. Thin: each calls a service and returns a summary."""

from celery import shared_task

from . import duplicates


@shared_task(name="knowledge.tasks.find_duplicate_answers", acks_late=True)
def find_duplicate_answers() -> dict[str, int]:
    return duplicates.run()

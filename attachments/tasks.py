"""Celery tasks of the attachments app."""

from celery import shared_task

from . import uploads


@shared_task(name="attachments.tasks.sweep_pending")
def sweep_pending() -> int:
    """Delete files kept for a send that never happened (older than a day)."""
    return uploads.sweep_pending()

"""Celery tasks of the tickets app. Thin: each calls a service and returns a summary."""

from celery import shared_task

from . import outbox, timers


@shared_task(name="tickets.tasks.run_due_status_timers")
def run_due_status_timers() -> dict[str, int]:
    return timers.run_due_status_timers()


@shared_task(name="tickets.tasks.send_notifications")
def send_notifications() -> int:
    return outbox.send_pending()


@shared_task(name="tickets.tasks.process_inbound")
def process_inbound(inbound_id: int) -> int | None:
    from .inbound import process

    return process(inbound_id)

"""Celery tasks of the escalation app. Thin: each calls a service and returns a summary."""

from celery import shared_task

from . import selectors
from .services import handback, known_issues, oncall, t4_check


@shared_task(name="escalation.tasks.page_unacknowledged_oncall", acks_late=True)
def page_unacknowledged_oncall() -> dict[str, int]:
    return oncall.page_unacknowledged()


@shared_task(name="escalation.tasks.rota_handbacks", acks_late=True)
def rota_handbacks() -> dict[str, int]:
    return handback.run_handbacks()


@shared_task(name="escalation.tasks.t4_tuesday_check", acks_late=True)
def t4_tuesday_check() -> dict[str, int]:
    return t4_check.run_t4_check()


@shared_task(name="escalation.tasks.run_broadcast", acks_late=True)
def run_broadcast_task(broadcast_id: int) -> dict[str, int]:
    return known_issues.run_broadcast(broadcast_id)


@shared_task(name="escalation.tasks.resume_broadcasts", acks_late=True)
def resume_broadcasts() -> int:
    """Finish broadcasts interrupted by a crash or a lost task (each run is exactly-once per ticket)."""
    ids = selectors.unfinished_broadcast_ids()
    for pk in ids:
        known_issues.run_broadcast(pk)
    return len(ids)

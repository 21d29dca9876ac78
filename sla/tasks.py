"""Celery tasks of the sla app. Thin: each calls a job function and returns its counts."""

from celery import shared_task


@shared_task(name="sla.tasks.update_sla_bands", acks_late=True)
def update_sla_bands() -> dict[str, int]:
    from .bands import update_sla_bands as run

    return run()


@shared_task(name="sla.tasks.nudge_stale_tickets", acks_late=True)
def nudge_stale_tickets() -> dict[str, int]:
    from .nudges import nudge_stale_tickets as run

    return run()


@shared_task(name="sla.tasks.check_commitments", acks_late=True)
def check_commitments() -> dict[str, int]:
    from .commitments import check_commitments as run

    return run()

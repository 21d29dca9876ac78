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


@shared_task(name="sla.tasks.warm_dashboard", acks_late=True)
def warm_dashboard() -> dict[str, int]:
    """Recompute the dashboard's cached aggregates for its default view before they expire, so no manager
    waits for the percentile sort (the cache lives 5 minutes, this runs every 4)."""
    from .reports import compliance_trend
    from .reports_filters import default_filters
    from .reports_percentiles import response_times

    filters = default_filters()
    weeks = compliance_trend(filters, refresh=True)
    rows, _approximate = response_times(filters, refresh=True)
    return {"weeks": len(weeks), "priorities": len(rows)}

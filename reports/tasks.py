"""Celery tasks of the reports app."""

from celery import shared_task

from .filters import default_filters
from .percentiles import response_times
from .selectors import compliance_trend


@shared_task(name="reports.tasks.warm_dashboard", acks_late=True)
def warm_dashboard() -> dict[str, int]:
    """Recompute the dashboard's cached aggregates for its default view before they expire, so no manager
    waits for the percentile sort (the cache lives 5 minutes, this runs every 4)."""
    filters = default_filters()
    weeks = compliance_trend(filters, refresh=True)
    rows, _approximate = response_times(filters, refresh=True)
    return {"weeks": len(weeks), "priorities": len(rows)}

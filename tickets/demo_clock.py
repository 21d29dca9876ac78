"""The demo's clock: replay support work through the real services at the moment it would have happened.

``at(when)`` makes ``django.utils.timezone.now()`` answer ``when`` (and every ``auto_now`` field with it)
while the block runs, so the events, messages, SLA clocks and deadlines, first-response times and
promises written by the services are as consistent as if the work had been done then. Demo seeding only:
never used by a request, a job or a test of the product itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

# How a demo step turns "this many business seconds ago" into an instant (injected by ``seed_demo``:
# the SLA app knows the business calendar; tickets imports no other app).
Ago = Callable[[float], dt.datetime]


def wall_clock_ago(seconds: float) -> dt.datetime:
    """Fallback when no business calendar is given: plain elapsed time."""
    return timezone.now() - dt.timedelta(seconds=seconds)


@contextmanager
def at(when: dt.datetime) -> Iterator[dt.datetime]:
    """Run the block with ``timezone.now()`` frozen at ``when`` (never later than the real now)."""
    when = min(when, timezone.now())
    with mock.patch.object(timezone, "now", return_value=when):
        yield when

"""Run jobs at the same moment in threads (each with its own database connection) to prove the row locks
of a job or a decision: the threads are released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections


def require_row_locks() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED / NOWAIT need PostgreSQL; SQLite serialises writers instead")


def at_once(*jobs: Callable[[], Any], expected: tuple[type[BaseException], ...] = ()) -> list[Any]:
    """Run ``jobs`` concurrently; return each job's result, or the exception it raised when that exception
    is one of ``expected``. Any other exception fails the test."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(i: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[i] = job()
        except expected as exc:
            outcomes[i] = exc
        except BaseException as exc:  # surfaced below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return outcomes

"""Issue #15 item 16: a 403 is one console line without a traceback (it was printed twice, each with a
full traceback); a 5xx keeps its traceback."""

from __future__ import annotations

import logging

from helpdesk.log_filters import ShortClientErrors


def test_a_refused_request_is_printed_once():
    # Django's own "django" console handler is gone (it printed each 403 a second time): records reach
    # the one root console handler, which drops 4xx tracebacks.
    assert logging.getLogger("django").handlers == []
    root_filters = [f for h in logging.getLogger().handlers for f in h.filters]
    assert any(isinstance(f, ShortClientErrors) for f in root_filters)


def test_server_errors_keep_their_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal", None, info)
    record.status_code = 500
    assert ShortClientErrors().filter(record) and record.exc_info is not None
    record.status_code = 403
    assert ShortClientErrors().filter(record) and record.exc_info is None

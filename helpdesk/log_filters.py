"""Logging filters (issue #15, item 16): a refused request (4xx) is one line in the console, not a
traceback — the traceback is kept for 5xx, where it is needed."""

from __future__ import annotations

import logging


class ShortClientErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True

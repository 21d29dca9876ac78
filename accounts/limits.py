"""Limits on every way to sign in or ask for a password (issue #15, items 3-4).

* Sign-in failures are counted by django-axes in the database (so a Redis outage changes nothing), per
  *normalised* username + client address: ``ａgent3``, ``AGENT3`` and ``agent3`` share one budget.
* Attempts for one username are evaluated one at a time (a PostgreSQL advisory lock around the password
  check), so 40 parallel guesses cannot slip past a limit of 10 before the first failure is counted.
* Other POSTs (password reset) use django-ratelimit on the cache, falling back to a database counter
  while the cache is unreachable.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import unicodedata
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def normalise_username(raw: Any) -> str:
    """What the login form would match, folded further: NFKC (fullwidth → ASCII) and case-folded."""
    return unicodedata.normalize("NFKC", str(raw or "")).casefold().strip()[:150]


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """``AXES_USERNAME_CALLABLE``: the key axes counts failures under."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    raw = (credentials or {}).get(field)
    if raw is None and request is not None:
        raw = request.POST.get(field)
    return normalise_username(raw)


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return f"Too many failed sign-ins. Try again in {minutes} minutes."


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the same sign-in page (ours or the admin's) with the reason, status 429."""
    if isinstance(original_response, TemplateResponse) and "form" in (original_response.context_data or {}):
        context = dict(original_response.context_data or {})
        form = context["form"]
        form._errors = ErrorDict()
        form.add_error(None, lockout_message())
        page = TemplateResponse(request, original_response.template_name, context, status=429)
        return page.render()
    return HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")


@contextlib.contextmanager
def one_at_a_time(key: str) -> Iterator[None]:
    """Serialise the block per ``key`` across processes (PostgreSQL advisory lock for the transaction).
    On SQLite writes are serialised by the database file already."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [digest])
        yield


def _split_rate(rate: str) -> tuple[int, int]:
    count, _, unit = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit[-1]]
    return int(count), seconds * int(unit[:-1] or 1)


def _db_hit(key: str, rate: str) -> bool:
    """Count one hit in the database; True when over the limit (the cache-down path)."""
    from .models import RateCounter

    limit, period = _split_rate(rate)
    window = int(time.time()) // period * period
    for _attempt in range(2):
        updated = RateCounter.objects.filter(key=key[:250], window=window).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key[:250], window=window, hits=1)
            except IntegrityError:
                continue  # created meanwhile by a parallel request: count on it
        break
    RateCounter.objects.filter(window__lt=window - period).delete()
    hits = RateCounter.objects.filter(key=key[:250], window=window).values_list("hits", flat=True).first()
    return (hits or 0) > limit


def hit(request: HttpRequest, group: str, value: str, rate: str) -> bool:
    """Count one hit of ``group`` for ``value``; True when the limit ``rate`` ("5/h") is exceeded."""
    from django_ratelimit.core import get_usage

    usage = get_usage(request, group=group, key=lambda _group, _request: value, rate=rate, increment=True)
    if usage is None or usage.get("time_left") == -1:  # the cache did not answer: count in the database
        return _db_hit(f"{group}:{value}", rate)
    return bool(usage["should_limit"])

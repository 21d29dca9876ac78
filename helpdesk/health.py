"""``/healthz`` (liveness + what is degraded) and ``/readyz`` (readiness), issue #15 item 1.

``/healthz`` answers 200 while the process can serve at all and reports each dependency separately:
``{"status": "ok" | "degraded" | "down", "database": "ok" | "down", "cache": …, "broker": …}``.
The product works without the cache (pages read the database) and without the broker (notifications wait
in the outbox), so only a database outage makes the status "down". ``/readyz`` answers 503 then, so a
load balancer stops sending traffic to a process that cannot reach its database.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse

log = logging.getLogger(__name__)

OK = "ok"
DOWN = "down"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; reported, not raised
        log.warning("health: database unreachable: %s", exc)
        return DOWN
    return OK


def cache_status() -> str:
    default = caches["default"]
    ping = getattr(default, "ping", None)
    if ping is not None:
        return OK if ping() else DOWN
    key = f"helpdesk:health:{uuid.uuid4().hex}"
    try:
        default.set(key, 1, 5)
        found = default.get(key)
        default.delete(key)
    except Exception as exc:  # a local cache failing (disk full …) is reported, not raised
        log.warning("health: cache unusable: %s", exc)
        return DOWN
    return OK if found == 1 else DOWN


def broker_status() -> str:
    from helpdesk.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=1)
    except Exception as exc:  # kombu raises many types (OperationalError, OSError …)
        log.warning("health: broker unreachable: %s", exc)
        return DOWN
    return OK


def components() -> dict[str, str]:
    found = {"database": database_status(), "cache": cache_status(), "broker": broker_status()}
    if found["database"] == DOWN:
        status = DOWN
    elif DOWN in found.values():
        status = "degraded"
    else:
        status = OK
    return {"status": status, **found}


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse(components())


def readyz(request: HttpRequest) -> JsonResponse:
    found = components()
    return JsonResponse(found, status=503 if found["status"] == DOWN else 200)

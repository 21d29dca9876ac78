"""Request types of the views (django-htmx: "type hints" in its docs)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through ``django_htmx.middleware.HtmxMiddleware``."""

    htmx: HtmxDetails

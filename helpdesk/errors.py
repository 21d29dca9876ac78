"""The CSRF-failure page (``CSRF_FAILURE_VIEW``): says what happened and where to go, in the site's
layout, instead of Django's bare technical page. 403, 404 and 500 use templates/<code>.html directly."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    response = TemplateResponse(request, "403_csrf.html", {"reason": reason}, status=403)
    return response.render()

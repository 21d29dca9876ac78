"""Requests with NUL bytes (issue #15, item 6). PostgreSQL refuses NUL in text, so ``?q=a%00b`` or
``?tag=%00`` failed deep inside a query with a 500. A query string with NUL answers 400 with a message;
in submitted forms NUL bytes are dropped (nothing else of what a person typed is lost)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Provider webhooks (mail/webhooks.py) read the raw body themselves (anymail) and store mail as it was sent.
RAW_BODY_PATHS = ("/inbound/",)


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET):
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character (%00). Remove it and try again.",
                content_type="text/plain; charset=utf-8",
            )
        if (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and not request.path.startswith(RAW_BODY_PATHS)
            and _has_nul(request.POST)
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.POST.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.POST = cleaned  # type: ignore[assignment]
        return self.get_response(request)

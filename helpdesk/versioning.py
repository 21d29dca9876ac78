"""Optimistic concurrency for API writes (issue #15, item 9): a write names the version it was based on,
in the body (``version``) or an ``If-Match`` header (the ``ETag`` of the GET). Without it the write is
refused with 428 Precondition Required; a stale one answers 409 Conflict (the views map StaleTicket)."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException

VERSION_HELP = (
    "Send the ticket's current version (the 'version' field or ETag of GET) as 'version' in the body "
    "or as an If-Match header, so a change made meanwhile is not overwritten."
)


class VersionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = VERSION_HELP
    default_code = "version_required"


class BadIfMatch(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = 'If-Match must be the ticket version, e.g. If-Match: "7".'
    default_code = "bad_if_match"


class Stale(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This changed since you read it: GET it again, then repeat the change with its version."
    default_code = "stale"


def required_version(request: Any, from_body: int | None, what: str = "ticket") -> int:
    """The version the client based its write on; raises 428 when it sent none, 400 when unreadable."""
    if from_body is not None:
        return from_body
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        raise VersionRequired(VERSION_HELP.replace("ticket's", f"{what}'s"))
    raw = header.removeprefix("W/").strip('"')
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        raise BadIfMatch()
    return int(raw)


def etag(version: int) -> str:
    return f'"{version}"'

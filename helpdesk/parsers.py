"""The API's JSON parser with limits (issue #15, item 6): a body nested deeper than ``MAX_DEPTH`` (a JSON
of 1,000 ``[`` raised ``RecursionError`` — a 500 any requester could cause) answers 400, and NUL bytes
in strings (PostgreSQL refuses them in text columns) are dropped instead of failing the write."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _depth_ok(data: Any) -> bool:
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
    return True


def without_nul(data: Any) -> Any:
    if isinstance(data, str):
        return data.replace("\x00", "")
    if isinstance(data, dict):
        return {without_nul(key): without_nul(value) for key, value in data.items()}
    if isinstance(data, list):
        return [without_nul(value) for value in data]
    return data


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(f"JSON nested too deeply (at most {MAX_DEPTH} levels).") from exc
        if not _depth_ok(data):
            raise ParseError(f"JSON nested too deeply (at most {MAX_DEPTH} levels).")
        return without_nul(data)

"""The API's cursor pagination: a tampered cursor answers 400 with a message, never 500 (issue #15, item 6).

DRF decodes the cursor's base64 but hands its position (``p=``) to the database as it is: ``p=abc``,
``p=1e5``, ``p=²`` or a NUL byte reached the query and failed there. Here the position is checked against
the ordering field first."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

MESSAGE = "Invalid cursor: use the next/previous links from a list answer as they are."
BIGINT = 2**63


class CursorPagination(pagination.CursorPagination):
    invalid_cursor_message = MESSAGE

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self._model = getattr(queryset, "model", None)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:  # DRF says 404 for a cursor it cannot read; it is bad input
            raise ValidationError({self.cursor_query_param: [MESSAGE]}) from exc

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                top = self.max_page_size or self.page_size
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": top}
        return parameters

    def get_page_size(self, request: Any) -> Any:
        """A ``page_size`` that is not a whole number from 1 to the maximum is refused (400), not ignored:
        the schema documents it as an integer, so a client that sent ``page_size=abc`` hears about it."""
        raw = request.query_params.get(self.page_size_query_param) if self.page_size_query_param else None
        if raw is not None:
            top = self.max_page_size or self.page_size
            if not (raw.isascii() and raw.isdigit() and 1 <= int(raw[:6]) <= top and len(raw) < 7):
                raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {top}."]})
        return super().get_page_size(request)

    def decode_cursor(self, request: Any) -> Any:
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not self._valid_position(cursor.position):
            raise NotFound(MESSAGE)
        return cursor

    def _valid_position(self, position: str) -> bool:
        if "\x00" in position or len(position) > 200:
            return False
        field = self._ordering_field()
        if field is None:
            return True
        try:
            value = field.to_python(position)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            return False
        if isinstance(field, models.IntegerField | models.AutoField):
            return position.isascii() and -BIGINT <= int(value) < BIGINT
        return value is not None

    def _ordering_field(self) -> models.Field | None:
        model = getattr(self, "_model", None)
        ordering = self.ordering if isinstance(self.ordering, list | tuple) else (self.ordering,)
        name = str(ordering[0]).lstrip("-") if ordering else ""
        if model is None or not name or "__" in name:
            return None
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return field if isinstance(field, models.Field) else None

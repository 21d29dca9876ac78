"""SLA API (DESIGN §8): policies and calendars (read for staff, edit for managers, validated like the
admin), and a ticket's commitment (``POST /api/sla-commitments/`` with ticket number and due_at)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.pagination import CursorPagination
from helpdesk.permissions import IsManager, IsStaffMember
from helpdesk.versioning import Stale, etag, required_version
from tickets.errors import InvalidInput, TicketError
from tickets.models import Ticket

from . import services
from .calendars import validate_calendar
from .models import LIMIT_TOO_LONG, MAX_LIMIT_SECONDS, BusinessCalendar, SlaPolicy

# Writes carry the version they are based on (issue #15 item 9): ``version`` in the body or ``If-Match``.
VERSION_FIELD = {
    "required": False,
    "min_value": 1,
    "max_value": 2**31 - 1,
    "help_text": "On a change: the version you read (or send If-Match). Answered with the new one.",
}


LIMIT_FIELD = {
    "min_value": 1,
    "max_value": MAX_LIMIT_SECONDS,
    "error_messages": {"min_value": "A limit must be longer than zero.", "max_value": LIMIT_TOO_LONG},
}


class SlaPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = SlaPolicy
        fields = ["id", "tier", "priority", "green_seconds", "yellow_seconds", "calendar", "lead", "version"]
        extra_kwargs = {
            "version": VERSION_FIELD,
            "green_seconds": LIMIT_FIELD,
            "yellow_seconds": LIMIT_FIELD,
        }
        validators: list = []  # uniqueness is reported by validate() with a clear message

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        merged = {
            **(
                {
                    f: getattr(self.instance, f)
                    for f in ("green_seconds", "yellow_seconds", "tier", "priority")
                }
                if self.instance
                else {}
            ),
            **attrs,
        }
        if merged.get("green_seconds", 1) <= 0:
            raise serializers.ValidationError({"green_seconds": "Green must be longer than zero."})
        for field in ("green_seconds", "yellow_seconds"):
            if (merged.get(field) or 0) > MAX_LIMIT_SECONDS:
                raise serializers.ValidationError({field: LIMIT_TOO_LONG})
        if merged.get("yellow_seconds", 0) < merged.get("green_seconds", 0):
            raise serializers.ValidationError({"yellow_seconds": "Yellow cannot be shorter than green."})
        clash = SlaPolicy.objects.filter(tier=merged.get("tier"), priority=merged.get("priority", ""))
        if self.instance:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"priority": "This tier already has a policy for that priority."}
            )
        return attrs


class BusinessCalendarSerializer(serializers.ModelSerializer):
    class Meta:
        model = BusinessCalendar
        fields = [
            "id",
            "name",
            "time_zone",
            "country",
            "subdivision",
            "weekly_hours",
            "extra_holidays",
            "is_default",
            "organizations",
            "version",
        ]
        extra_kwargs = {
            "version": VERSION_FIELD,
            "name": {"min_length": 1},
            "time_zone": {"min_length": 1},
        }

    # Typed, so the schema says what is accepted: per weekday (Monday first) null (closed) or spans.
    weekly_hours = serializers.ListField(
        child=serializers.JSONField(allow_null=True),
        max_length=7,
        required=False,
        help_text='e.g. [["09:00", "17:00"], ...]',
    )
    extra_holidays = serializers.ListField(
        child=serializers.CharField(max_length=10), max_length=400, required=False, help_text='["2026-12-24"]'
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        def get(field: str, default: Any) -> Any:
            return attrs.get(field, getattr(self.instance, field, default) if self.instance else default)

        try:
            validate_calendar(
                get("time_zone", "UTC"),
                get("country", ""),
                get("subdivision", ""),
                get("weekly_hours", []),
                get("extra_holidays", []),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs


class _ById(CursorPagination):
    ordering = "id"


class _ManagerWrites:
    """Staff read, managers write; a change or delete names the version it was based on: none → 428,
    stale → 409; the GET of one answers with its ETag."""

    pagination_class = _ById
    what = "record"

    def get_permissions(self):  # type: ignore[no-untyped-def]
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [IsStaffMember()]
        return [IsManager()]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        response["ETag"] = etag(response.data["version"])
        return response

    def perform_create(self, serializer: serializers.ModelSerializer) -> None:
        serializer.validated_data.pop("version", None)
        self._save(serializer, None)

    def perform_update(self, serializer: serializers.ModelSerializer) -> None:
        expected = required_version(self.request, serializer.validated_data.pop("version", None), self.what)
        self._save(serializer, expected)

    def perform_destroy(self, instance: Any) -> None:
        body = self.request.data.get("version") if isinstance(self.request.data, dict) else None
        expected = required_version(self.request, body if isinstance(body, int) else None, self.what)
        with transaction.atomic():
            current = type(instance).objects.select_for_update().filter(pk=instance.pk).first()
            if current is None or current.version != expected:
                raise Stale()
            current.delete()

    def _save(self, serializer: serializers.ModelSerializer, expected: int | None) -> None:
        raise NotImplementedError


class SlaPolicyViewSet(_ManagerWrites, viewsets.ModelViewSet):
    queryset = SlaPolicy.objects.order_by("tier", "priority")
    serializer_class = SlaPolicySerializer
    what = "policy"

    def _save(self, serializer: serializers.ModelSerializer, expected: int | None) -> None:
        policy = serializer.instance or SlaPolicy()
        for field, value in serializer.validated_data.items():
            setattr(policy, field, value)
        try:
            serializer.instance = services.save_policy(policy, expected_version=expected)
        except services.StaleSetting:
            raise Stale() from None
        except InvalidInput as exc:
            raise serializers.ValidationError({exc.field or "non_field_errors": [str(exc)]}) from None


class BusinessCalendarViewSet(_ManagerWrites, viewsets.ModelViewSet):
    queryset = BusinessCalendar.objects.prefetch_related("organizations").order_by("name")
    serializer_class = BusinessCalendarSerializer
    what = "calendar"

    def _save(self, serializer: serializers.ModelSerializer, expected: int | None) -> None:
        data = dict(serializer.validated_data)
        organizations = data.pop("organizations", None)
        calendar = serializer.instance or BusinessCalendar()
        for field, value in data.items():
            setattr(calendar, field, value)
        try:
            serializer.instance = services.save_calendar(
                calendar, organizations=organizations, expected_version=expected
            )
        except services.StaleSetting:
            raise Stale() from None
        except InvalidInput as exc:
            raise serializers.ValidationError({exc.field or "non_field_errors": [str(exc)]}) from None


class CommitmentSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Ticket number.")
    due_at = serializers.DateTimeField()


class CommitmentViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Promise the next update on a ticket (000). Errors are 400 with field details."""

    permission_classes = [IsStaffMember]
    serializer_class = CommitmentSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = CommitmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = Ticket.objects.filter(number=data.validated_data["ticket"]).first()
        if ticket is None:
            return Response({"ticket": ["No such ticket."]}, status=status.HTTP_404_NOT_FOUND)
        try:
            ticket = services.set_commitment(ticket, request.user, data.validated_data["due_at"])
        except TicketError as exc:
            return Response({exc.field or "detail": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"ticket": ticket.number, "due_at": ticket.commitment_due_at}, status=status.HTTP_201_CREATED
        )

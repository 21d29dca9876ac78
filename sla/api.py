"""SLA API (DESIGN §8): policies and calendars (read for staff, edit for managers, validated like the
admin), and a ticket's commitment (``POST /api/sla-commitments/`` with ticket number and due_at)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.pagination import CursorPagination
from helpdesk.permissions import IsManager, IsStaffMember
from tickets.errors import TicketError
from tickets.models import Ticket

from . import services
from .calendars import validate_calendar
from .models import LIMIT_TOO_LONG, MAX_LIMIT_SECONDS, BusinessCalendar, SlaPolicy


class SlaPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = SlaPolicy
        fields = ["id", "tier", "priority", "green_seconds", "yellow_seconds", "calendar", "lead"]
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
        ]

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
    pagination_class = _ById

    def get_permissions(self):  # type: ignore[no-untyped-def]
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [IsStaffMember()]
        return [IsManager()]


class SlaPolicyViewSet(_ManagerWrites, viewsets.ModelViewSet):
    queryset = SlaPolicy.objects.order_by("tier", "priority")
    serializer_class = SlaPolicySerializer


class BusinessCalendarViewSet(_ManagerWrites, viewsets.ModelViewSet):
    queryset = BusinessCalendar.objects.prefetch_related("organizations").order_by("name")
    serializer_class = BusinessCalendarSerializer


class CommitmentSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(help_text="Ticket number.")
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
            return Response({"ticket": ["No such ticket."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            ticket = services.set_commitment(ticket, request.user, data.validated_data["due_at"])
        except TicketError as exc:
            return Response({exc.field or "detail": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"ticket": ticket.number, "due_at": ticket.commitment_due_at}, status=status.HTTP_201_CREATED
        )

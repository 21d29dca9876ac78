"""Macros over the API: the macros the caller is offered (shared + their own), a dry-run preview and
apply to one ticket (``POST /api/macros/<id>/apply/`` with ``ticket`` and ``version``), through the same
services as the screen. Staff only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.permissions import IsStaffMember, visible_tickets
from helpdesk.versioning import required_version
from tickets.errors import StaleTicket, TicketError
from tickets.models import Ticket

from . import selectors, services
from .models import Macro


class MacroSerializer(serializers.ModelSerializer):
    shared = serializers.BooleanField(read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Macro
        fields = ["id", "title", "shared", "actions", "body", "note", "status", "priority", "tier"]

    def get_actions(self, obj: Macro) -> list[str]:
        return services.describe(obj)


class ApplyInput(serializers.Serializer):
    ticket = serializers.IntegerField(min_value=1, help_text="The ticket number.")
    version = serializers.IntegerField(required=False, min_value=1)


def _outcome(outcome: services.Outcome) -> dict[str, Any]:
    return {
        "changes": [{"field": c.what, "before": c.before, "after": c.after} for c in outcome.changes],
        "messages": [{"kind": kind, "body": body} for kind, body in outcome.messages],
    }


class MacroViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsStaffMember]
    serializer_class = MacroSerializer
    pagination_class = None  # a short list, in title order

    def get_queryset(self) -> QuerySet[Macro]:
        return selectors.visible_macros(self.request.user).filter(is_active=True)

    def _ticket(self, number: int) -> Ticket | None:
        return visible_tickets(self.request.user).filter(number=number).first()

    def _act(self, request: Request, *, dry_run: bool) -> Response:
        macro = self.get_object()
        data = ApplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = self._ticket(data.validated_data["ticket"])
        if ticket is None:
            return Response({"ticket": ["No such ticket."]}, status=status.HTTP_404_NOT_FOUND)
        try:
            if dry_run:
                outcome = services.preview_macro(ticket, request.user, macro)
            else:
                version = required_version(request, data.validated_data.get("version"))
                outcome = services.apply_macro(ticket, request.user, macro, expected_version=version)
        except TicketError as exc:
            code = status.HTTP_409_CONFLICT if isinstance(exc, StaleTicket) else status.HTTP_400_BAD_REQUEST
            return Response({exc.field or "non_field_errors": [str(exc)]}, status=code)
        return Response(_outcome(outcome))

    @action(detail=True, methods=["post"])
    def preview(self, request: Request, pk: str | None = None) -> Response:
        """What applying would change, nothing stored."""
        return self._act(request, dry_run=True)

    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, dry_run=False)

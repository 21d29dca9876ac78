"""REST API for tickets (DESIGN §8): cursor-paginated list with filters, retrieve by number, and the
reply / note / status actions through the same services as the screens. Requesters see only their
organization's tickets and never an internal note."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.pagination import CursorPagination
from helpdesk.permissions import IsStaffMember, is_staff_member, visible_tickets

from . import selectors, services
from .errors import TicketError
from .models import Message, Status, Tag, Ticket, Tier


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_name", read_only=True)

    class Meta:
        model = Message
        fields = ["id", "author", "visibility", "kind", "body", "created_at"]


class TicketSerializer(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.name", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True, default=None)
    team = serializers.CharField(source="team.slug", read_only=True, default=None)
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "number",
            "subject",
            "status",
            "priority",
            "kind",
            "tier",
            "team",
            "assignee",
            "requester",
            "organization",
            "tags",
            "sla_band",
            "sla_green_until",
            "sla_yellow_until",
            "commitment_due_at",
            "created_at",
            "updated_at",
            "version",
        ]

    def get_tags(self, obj: Ticket) -> list[str]:
        return [t.name for t in obj.tags.all()]


class TicketDetailSerializer(TicketSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "messages"]

    def get_messages(self, obj: Ticket) -> list[dict[str, Any]]:
        user = self.context["request"].user
        return MessageSerializer(selectors.conversation(obj, user), many=True).data


class ReplyInput(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=True)
    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True)
    hold_days = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, allow_null=True)


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    hold_days = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True)


class TicketFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    tier = django_filters.ChoiceFilter(choices=Tier.choices)
    assignee = django_filters.CharFilter(method="filter_assignee", help_text="username, 'me' or 'none'")
    team = django_filters.CharFilter(field_name="team__slug")

    class Meta:
        model = Ticket
        fields = ["status", "tier", "assignee", "team"]

    def filter_assignee(self, qs: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        if value == "me":
            return qs.filter(assignee=self.request.user)
        if value == "none":
            return qs.filter(assignee__isnull=True)
        return qs.filter(assignee__username=value)


class TicketCursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


def _error(exc: TicketError) -> Response:
    field = exc.field or "non_field_errors"
    return Response({field: [str(exc)], "code": type(exc).__name__}, status=status.HTTP_400_BAD_REQUEST)


class TicketViewSet(viewsets.ReadOnlyModelViewSet):
    """Tickets the caller may see. Staff: all; requesters: their organization's, public messages only."""

    permission_classes = [IsAuthenticated]
    lookup_field = "number"
    lookup_value_regex = r"\d+"
    pagination_class = TicketCursor
    filterset_class = TicketFilter

    def get_queryset(self) -> QuerySet[Ticket]:
        qs = selectors.ticket_list().prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("id", "name"))
        )
        return visible_tickets(self.request.user, qs)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return TicketDetailSerializer if self.action == "retrieve" else TicketSerializer

    @action(detail=True, methods=["post"])
    def reply(self, request: Request, number: str | None = None) -> Response:
        """A public reply (staff), or the requester's reply (portal users). Staff may also send what the
        reply form's extensions read, e.g. ``next_update`` (ISO date-time): the promised next update."""
        ticket = self.get_object()
        data = ReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            if is_staff_member(request.user):
                message = services.send_reply(
                    ticket,
                    request.user,
                    d["body"],
                    status=d.get("status") or None,
                    hold_days=d.get("hold_days"),
                    expected_version=d.get("version"),
                    extras=request.data,
                )
            else:
                contact = getattr(request.user, "contact", None)
                if contact is None:
                    return Response({"detail": "Your role does not allow this."}, status=403)
                message = services.add_requester_reply(ticket, contact, d["body"])
        except TicketError as exc:
            return _error(exc)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def note(self, request: Request, number: str | None = None) -> Response:
        ticket = self.get_object()
        data = ReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            message = services.send_reply(
                ticket,
                request.user,
                d["body"],
                internal=True,
                status=d.get("status") or None,
                hold_days=d.get("hold_days"),
                expected_version=d.get("version"),
                extras=request.data,
            )
        except TicketError as exc:
            return _error(exc)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="status", permission_classes=[IsStaffMember])
    def set_status(self, request: Request, number: str | None = None) -> Response:
        ticket = self.get_object()
        data = StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            services.change_status(
                ticket,
                d["status"],
                by=request.user,
                note=d.get("note", ""),
                hold_days=d.get("hold_days"),
                expected_version=d.get("version"),
            )
        except TicketError as exc:
            return _error(exc)
        fresh = self.get_queryset().get(pk=ticket.pk)
        return Response(TicketSerializer(fresh, context={"request": request}).data)

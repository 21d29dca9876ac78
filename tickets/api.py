"""REST API for tickets (DESIGN §8): cursor-paginated list with filters, retrieve by number, and the
reply / note / status actions through the same services as the screens. Requesters see only their
organization's tickets and never an internal note."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import connection, transaction
from django.db.models import F, OuterRef, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.pagination import CursorPagination
from helpdesk.permissions import IsStaffMember, is_staff_member, visible_tickets
from helpdesk.versioning import etag, required_version

from . import message_files, selectors, services
from .errors import StaleTicket, TicketError, body_too_long
from .mailing import contact_for
from .models import Message, MessageFormat, Priority, Status, Tag, Ticket, Tier
from .services import merge as merge_services
from .services import spam as spam_services


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_name", read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "author", "visibility", "kind", "format", "body", "attachments", "created_at"]

    def get_attachments(self, obj: Message) -> list[dict[str, Any]]:
        """``[{id, name, size, content_type, url, thumbnail_url}]``; ``url`` downloads the file."""
        return message_files.serialize(obj)


class TicketSerializer(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.name", read_only=True)
    organization = serializers.CharField(
        source="organization.name", read_only=True, default=None, allow_null=True
    )
    team = serializers.CharField(source="team.slug", read_only=True, default=None, allow_null=True)
    assignee = serializers.CharField(
        source="assignee.username", read_only=True, default=None, allow_null=True
    )
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
            "spam_at",
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


_LIST_FIELDS = TicketSerializer.Meta.fields
_RELATED = {
    "requester": "requester__name",
    "organization": "organization__name",
    "team": "team__slug",
    "assignee": "assignee__username",
}
_TIMES = ("sla_green_until", "sla_yellow_until", "commitment_due_at", "created_at", "updated_at")
_DATETIME = serializers.DateTimeField()  # the serializer's own format (ISO 8601, "Z" for UTC)


def api_rows(tickets: QuerySet[Ticket]) -> QuerySet:
    """``tickets`` as the values the list answer needs (``id`` for the cursor, names of related rows)."""
    plain = [f for f in _LIST_FIELDS if f not in _RELATED and f != "tags"]
    qs = tickets.values("id", *plain, **{f"_{k}": F(v) for k, v in _RELATED.items()})
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        names = Ticket.tags.through.objects.filter(ticket_id=OuterRef("pk")).order_by("tag__name")
        qs = qs.annotate(_tags=ArraySubquery(names.values("tag__name")))
    return qs


def api_data(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``api_rows`` in ``TicketSerializer``'s shape and field order."""
    if rows and "_tags" not in rows[0]:  # SQLite: one query for the page's tags
        tags: dict[int, list[str]] = {r["id"]: [] for r in rows}
        pairs = Ticket.tags.through.objects.filter(ticket_id__in=tags).order_by("tag__name")
        for ticket_id, name in pairs.values_list("ticket_id", "tag__name"):
            tags[ticket_id].append(name)
        for r in rows:
            r["_tags"] = tags[r["id"]]
    out = []
    for r in rows:
        for f in _TIMES:
            r[f] = _DATETIME.to_representation(r[f]) if r[f] is not None else None
        out.append({f: r[f"_{f}"] if f in _RELATED or f == "tags" else r[f] for f in _LIST_FIELDS})
    return out


def _fits(value: str) -> str:
    problem = body_too_long(value)
    if problem:
        raise serializers.ValidationError(problem)
    return value


class Text(serializers.CharField):
    """Text that must be sent as a JSON string (DRF would take ``0`` or ``1.5`` and store "0")."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ReplyInput(serializers.Serializer):
    body = Text(allow_blank=True, trim_whitespace=True, validators=[_fits])
    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True)
    hold_days = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, allow_null=True)
    format = serializers.ChoiceField(
        choices=[MessageFormat.MARKDOWN, MessageFormat.PLAIN],
        default=MessageFormat.MARKDOWN,
        help_text="How body is written. Files: send multipart/form-data with one or more `files` parts.",
    )


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    hold_days = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True)


class MergeInput(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, help_text="The number of the ticket to merge this one into.")
    notify_requesters = serializers.BooleanField(default=False, help_text="Tell the requester by email.")
    confirm_cross_org = serializers.BooleanField(
        default=False, help_text="Managers: confirm merging tickets of different organizations."
    )
    version = serializers.IntegerField(required=False, allow_null=True)


class VersionInput(serializers.Serializer):
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


def _file_errors(uploads: Any) -> Response:
    return Response(
        {"files": message_files.errors(uploads), "code": "InvalidFiles"}, status=status.HTTP_400_BAD_REQUEST
    )


class CreateInput(serializers.Serializer):
    subject = Text(min_length=1, max_length=200)
    body = Text(min_length=1, max_length=100_000)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    requester_email = serializers.EmailField(required=False, help_text="Staff only: who the ticket is for.")
    requester_name = Text(max_length=200, required=False)


def _error(exc: TicketError) -> Response:
    field = exc.field or "non_field_errors"
    code = status.HTTP_409_CONFLICT if isinstance(exc, StaleTicket) else status.HTTP_400_BAD_REQUEST
    return Response({field: [str(exc)], "code": type(exc).__name__}, status=code)


class TicketViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tickets the caller may see. Staff: all; requesters: their organization's, public messages only."""

    permission_classes = [IsAuthenticated]
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"
    pagination_class = TicketCursor
    filterset_class = TicketFilter

    def get_queryset(self) -> QuerySet[Ticket]:
        qs = selectors.ticket_list().prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("id", "name"))
        )
        return visible_tickets(self.request.user, qs)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return TicketDetailSerializer if self.action == "retrieve" else TicketSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The ``TicketSerializer`` shape from plain values (issue #20 §2): one query for the page with
        the related names and, on PostgreSQL, the tag names — no model instances, no per-field serializer."""
        rows = self.filter_queryset(visible_tickets(request.user, Ticket.objects.all()))
        page = self.paginate_queryset(api_rows(rows))
        return self.get_paginated_response(api_data(page))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag(response.data["version"])  # send it back as If-Match on a write
        return response

    @extend_schema(request=CreateInput, responses={201: TicketSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open a ticket: staff on behalf of a requester (``requester_email``), requesters as themselves."""
        data = CreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if is_staff_member(request.user):
            if not d.get("requester_email"):
                return Response({"requester_email": ["Say who the ticket is for."]}, status=400)
            requester, by = contact_for(d["requester_email"], d.get("requester_name", "")), request.user
        else:
            requester, by = getattr(request.user, "contact", None), None
            if requester is None:
                return Response({"detail": "Your role does not allow this."}, status=403)
        try:
            ticket = services.open_ticket(
                requester, d["subject"], d["body"], priority=d.get("priority") or Priority.NORMAL, by=by
            )
        except TicketError as exc:
            return _error(exc)
        ticket = selectors.ticket_list().get(pk=ticket.pk)
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReplyInput, responses={201: MessageSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, number: str | None = None) -> Response:
        """A public reply (staff), or the requester's reply (portal users). Staff may also send what the
        reply form's extensions read, e.g. ``next_update`` (ISO date-time): the promised next update."""
        ticket = self.get_object()
        data = ReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        uploads = message_files.read(request)
        if message_files.errors(uploads):
            return _file_errors(uploads)
        try:
            with transaction.atomic():
                if is_staff_member(request.user):
                    message = services.send_reply(
                        ticket,
                        request.user,
                        d["body"],
                        status=d.get("status") or None,
                        hold_days=d.get("hold_days"),
                        expected_version=required_version(request, d.get("version")),
                        extras=request.data,
                    )
                else:
                    contact = getattr(request.user, "contact", None)
                    if contact is None:
                        return Response({"detail": "Your role does not allow this."}, status=403)
                    message = services.add_requester_reply(ticket, contact, d["body"])
                message_files.finish(message, uploads, request.user, fmt=d["format"])
        except TicketError as exc:
            return _error(exc)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReplyInput, responses={201: MessageSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def note(self, request: Request, number: str | None = None) -> Response:
        ticket = self.get_object()
        data = ReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        uploads = message_files.read(request)
        if message_files.errors(uploads):
            return _file_errors(uploads)
        try:
            with transaction.atomic():
                message = services.send_reply(
                    ticket,
                    request.user,
                    d["body"],
                    internal=True,
                    status=d.get("status") or None,
                    hold_days=d.get("hold_days"),
                    expected_version=required_version(request, d.get("version")),
                    extras=request.data,
                )
                message_files.finish(message, uploads, request.user, fmt=d["format"])
        except TicketError as exc:
            return _error(exc)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StatusInput, responses={200: TicketDetailSerializer})
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
                expected_version=required_version(request, d.get("version")),
            )
        except TicketError as exc:
            return _error(exc)
        fresh = self.get_queryset().get(pk=ticket.pk)
        return Response(TicketSerializer(fresh, context={"request": request}).data)

    @extend_schema(request=MergeInput, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def merge(self, request: Request, number: str | None = None) -> Response:
        """Merge this ticket into ``into`` (issue #16): its messages and files move there, it closes as
        merged. Refused (400) into itself, or across organizations unless a manager confirms."""
        source = self.get_object()
        data = MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        target = self.get_queryset().filter(number=d["into"]).first()
        if target is None:
            return Response({"into": [f"There is no ticket #{d['into']}."]}, status=400)
        try:
            merge_services.merge(
                source,
                target,
                request.user,
                expected_version=required_version(request, d.get("version")),
                notify_requesters=d["notify_requesters"],
                confirm_cross_org=d["confirm_cross_org"],
            )
        except TicketError as exc:
            return _error(exc)
        fresh = self.get_queryset().get(pk=target.pk)
        return Response(TicketSerializer(fresh, context={"request": request}).data)

    @extend_schema(request=VersionInput, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def spam(self, request: Request, number: str | None = None) -> Response:
        """Mark as spam: out of every queue, nobody is told, the sender's mail is blocked."""
        return self._spam(request, True)

    @extend_schema(request=VersionInput, responses={200: TicketSerializer})
    @action(detail=True, methods=["post"], url_path="not-spam", permission_classes=[IsStaffMember])
    def not_spam(self, request: Request, number: str | None = None) -> Response:
        """Undo "spam": back in its queue, the sender unblocked."""
        return self._spam(request, False)

    def _spam(self, request: Request, spam: bool) -> Response:
        ticket = self.get_object()
        data = VersionInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = required_version(request, data.validated_data.get("version"))
        try:
            if spam:
                spam_services.mark_spam(ticket, request.user, expected_version=version)
            else:
                spam_services.not_spam(ticket, request.user, expected_version=version)
        except TicketError as exc:
            return _error(exc)
        fresh = self.get_queryset().get(pk=ticket.pk)
        return Response(TicketSerializer(fresh, context={"request": request}).data)

"""API: known issues (list/detail, link a ticket) and the escalate action. Same services and
permission helper as the screens; domain errors answer 400 with the field that was wrong."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from escalation.services.escalate import escalate_up
from escalation.services.known_issues import link_ticket
from helpdesk.pagination import CursorPagination
from helpdesk.permissions import IsStaffMember
from helpdesk.versioning import required_version
from tickets import selectors as ticket_selectors
from tickets.errors import StaleTicket, TicketError
from tickets.models import Tier

from .errors import KnownIssueMatch
from .models import KnownIssue
from .selectors import ESCALATABLE, affected_counts


class KnownIssueSerializer(serializers.ModelSerializer):
    tag = serializers.CharField(source="tag_name", read_only=True)
    affected = serializers.SerializerMethodField()

    class Meta:
        model = KnownIssue
        fields = [
            "number",
            "title",
            "short_name",
            "tag",
            "status",
            "external_url",
            "description",
            "created_at",
            "updated_at",
            "resolved_at",
            "status_post",
            "status_post_text",
            "affected",
        ]
        read_only_fields = fields

    def get_affected(self, obj: KnownIssue) -> int:
        counts = self.context.get("affected")
        if counts is None:
            counts = affected_counts([obj])
        return counts.get(obj.pk, 0)


class NumberPagination(CursorPagination):
    ordering = "-number"


def _error(exc: TicketError) -> Response:
    body: dict[str, Any] = {"detail": str(exc)}
    if exc.field:
        body[exc.field] = [str(exc)]
    if isinstance(exc, KnownIssueMatch):
        body["known_issues"] = [ki.number for ki in exc.issues]
    code = status.HTTP_409_CONFLICT if isinstance(exc, StaleTicket) else status.HTTP_400_BAD_REQUEST
    return Response(body, status=code)


class LinkSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(min_value=1)


class KnownIssueViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsStaffMember]
    serializer_class = KnownIssueSerializer
    pagination_class = NumberPagination
    lookup_field = "number"
    filterset_fields = ["status", "status_post"]

    def get_queryset(self):
        return KnownIssue.objects.all()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "affected": affected_counts(list(page))}
        return self.get_paginated_response(KnownIssueSerializer(page, many=True, context=context).data)

    @action(detail=True, methods=["post"])
    def link(self, request: Request, number: int | None = None) -> Response:
        ki = self.get_object()
        data = LinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = _ticket(request, data.validated_data["ticket"])
        try:
            link_ticket(ticket, ki, request.user)
        except TicketError as exc:
            return _error(exc)
        return Response({"ticket": ticket.number, "known_issue": ki.number, "tag": ki.tag_name})


def _ticket(request: Request, number: int):
    try:
        return ticket_selectors.ticket_for(request.user, number)
    except Http404:
        raise serializers.ValidationError({"ticket": [f"Ticket #{number} does not exist."]}) from None


class EscalateSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(min_value=1)
    to_tier = serializers.ChoiceField(choices=[(t.value, t.label) for t in ESCALATABLE])
    questions = serializers.ListField(
        child=serializers.CharField(max_length=10_000), allow_empty=False, min_length=1, max_length=20
    )
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    transition_comment = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default=None
    )
    not_a_known_issue = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class EscalateViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """POST /api/escalations/ {ticket, to_tier, questions: [...], findings, transition_comment, version}."""

    permission_classes = [IsStaffMember]
    serializer_class = EscalateSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = EscalateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        ticket = _ticket(request, d["ticket"])
        try:
            result = escalate_up(
                ticket,
                request.user,
                to_tier=d["to_tier"],
                questions=d["questions"],
                findings=d["findings"],
                transition_comment=d["transition_comment"],
                not_a_known_issue=d["not_a_known_issue"],
                expected_version=required_version(request, d["version"]),
            )
        except TicketError as exc:
            return _error(exc)
        return Response(
            {
                "ticket": result.ticket.number,
                "tier": result.ticket.tier,
                "tier_label": Tier(result.ticket.tier).label,
                "assignee": getattr(result.assignee, "username", None),
                "transition_comment": result.transition_comment,
                "questions": result.questions,
                "version": result.ticket.version,
            },
            status=status.HTTP_201_CREATED,
        )

"""Triage API (DESIGN §8): the queue (cursor-paginated, oldest first) and the decisions. Input is
validated by the same forms as the screen and carried out by the same services; bad input answers 400
with field details, a ticket someone else decided first answers 409."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.pagination import CursorPagination
from helpdesk.permissions import IsTriageLead
from tickets.errors import TicketError
from tickets.models import Ticket

from . import forms, selectors, services


class QueueRowSerializer(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.name")
    requester_email = serializers.EmailField(source="requester.email")
    requester_authorised = serializers.BooleanField(source="requester.is_authorised")
    organization = serializers.CharField(source="organization.name", default=None)
    preview = serializers.CharField()
    needs_authorisation = serializers.SerializerMethodField()
    approval_blocked = serializers.SerializerMethodField()
    authorisation_pending = serializers.BooleanField(source="auth_pending")

    class Meta:
        model = Ticket
        fields = [
            "number",
            "subject",
            "kind",
            "priority",
            "status",
            "created_at",
            "requester",
            "requester_email",
            "requester_authorised",
            "organization",
            "preview",
            "needs_authorisation",
            "approval_blocked",
            "authorisation_pending",
        ]

    def get_needs_authorisation(self, obj: Ticket) -> bool:
        return obj.kind == "change_request" and not obj.requester.is_authorised

    def get_approval_blocked(self, obj: Ticket) -> bool:
        return self.get_needs_authorisation(obj) and not (obj.auth_confirmed or obj.auth_overridden)


class QueuePagination(CursorPagination):
    ordering = "id"  # oldest first, keyset on the primary key
    page_size = selectors.PAGE_SIZE


_DECISION_RESULT = inline_serializer(
    "TriageDecisionResult",
    {
        "number": serializers.IntegerField(),
        "triage_decision": serializers.CharField(),
        "tier": serializers.CharField(),
        "status": serializers.CharField(),
    },
)

_ACTION_FORMS = {
    "approve": (forms.ApproveForm, services.triage_approve),
    "project": (forms.ProjectForm, services.triage_project),
    "reroute": (forms.RerouteForm, services.triage_reroute),
    "chargeable": (forms.ChargeableForm, services.triage_chargeable),
    "answer": (forms.AnswerForm, services.triage_answer),
}


class TriageViewSet(viewsets.GenericViewSet):
    permission_classes = [IsTriageLead]
    serializer_class = QueueRowSerializer
    pagination_class = QueuePagination
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> Any:
        return selectors.queue_queryset()

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _decide(self, request: Request, number: str, name: str) -> Response:
        ticket = Ticket.objects.filter(number=number).first()
        if ticket is None:
            raise Http404
        form_class, run = _ACTION_FORMS[name]
        form = form_class(request.data)
        if not form.is_valid():
            return Response(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            ticket = run(ticket=ticket, actor=request.user, **form.service_kwargs())
        except (services.AlreadyTriaged, services.NotSetUp) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except TicketError as exc:
            return Response({exc.field or "non_field_errors": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        ticket.refresh_from_db()
        return Response(
            {
                "number": ticket.number,
                "triage_decision": ticket.triage_decision,
                "tier": ticket.tier,
                "status": ticket.status,
            }
        )

    @extend_schema(
        request=inline_serializer(
            "TriageApprove",
            {
                "tier": serializers.ChoiceField(choices=[t.value for t in services.APPROVE_TIERS]),
                "assignee": serializers.IntegerField(required=False),
                "priority": serializers.CharField(required=False),
                "note": serializers.CharField(required=False),
            },
        ),
        responses=_DECISION_RESULT,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, number: str) -> Response:
        return self._decide(request, number, "approve")

    @extend_schema(
        request=inline_serializer(
            "TriageProject",
            {"message": serializers.CharField(min_length=1), "note": serializers.CharField(required=False)},
        ),
        responses=_DECISION_RESULT,
    )
    @action(detail=True, methods=["post"])
    def project(self, request: Request, number: str) -> Response:
        return self._decide(request, number, "project")

    @extend_schema(
        request=inline_serializer(
            "TriageReroute",
            {
                "team": serializers.IntegerField(
                    help_text="The team (or leave it out and name an assignee)."
                ),
                "assignee": serializers.IntegerField(required=False),
                "reason": serializers.CharField(min_length=1),
            },
        ),
        responses=_DECISION_RESULT,
    )
    @action(detail=True, methods=["post"])
    def reroute(self, request: Request, number: str) -> Response:
        return self._decide(request, number, "reroute")

    @extend_schema(
        request=inline_serializer(
            "TriageChargeable",
            {
                "explanation": serializers.CharField(min_length=1),
                "estimate": serializers.FloatField(min_value=0.1, max_value=10000, help_text="Hours."),
            },
        ),
        responses=_DECISION_RESULT,
    )
    @action(detail=True, methods=["post"])
    def chargeable(self, request: Request, number: str) -> Response:
        return self._decide(request, number, "chargeable")

    @extend_schema(
        request=inline_serializer(
            "TriageAnswer",
            {
                "body": serializers.CharField(min_length=1),
                "status": serializers.ChoiceField(choices=["pending", "resolved"]),
            },
        ),
        responses=_DECISION_RESULT,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, number: str) -> Response:
        return self._decide(request, number, "answer")

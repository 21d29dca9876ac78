"""One router for the whole API, every viewset listed by hand."""

from django.http import HttpRequest, JsonResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from escalation.api import EscalateViewSet, KnownIssueViewSet
from knowledge.api import ArticleViewSet
from macros.api import MacroViewSet
from sla.api import BusinessCalendarViewSet, CommitmentViewSet, SlaPolicyViewSet
from tickets.api import TicketViewSet
from triage.api import TriageViewSet

router = DefaultRouter()
router.register("tickets", TicketViewSet, basename="ticket")
router.register("triage", TriageViewSet, basename="triage")
router.register("known-issues", KnownIssueViewSet, basename="known-issue")
router.register("escalations", EscalateViewSet, basename="escalation")
router.register("sla-policies", SlaPolicyViewSet, basename="sla-policy")
router.register("sla-calendars", BusinessCalendarViewSet, basename="sla-calendar")
router.register("sla-commitments", CommitmentViewSet, basename="sla-commitment")
router.register("articles", ArticleViewSet, basename="article")
router.register("macros", MacroViewSet, basename="macro")


@csrf_exempt  # nothing is changed here; a POST to no route is a 404 like any other
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Anything under /api/ no route matches (``/api/tickets/abc/``) answers JSON like the API does, so a
    client (and the schema check) always gets ``{"detail": ...}`` back, never an HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [*router.urls, re_path(r"^(?P<rest>.*)$", not_found)]

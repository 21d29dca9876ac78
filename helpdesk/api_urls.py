"""One router for the whole API, every viewset listed by hand."""

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

urlpatterns = router.urls

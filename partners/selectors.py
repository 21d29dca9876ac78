"""Side-conversation reads (staff only: a requester never reaches these)."""

from __future__ import annotations

from django.db.models import Prefetch

from tickets.models import Team, Ticket

from .models import SideConversation, SideMessage, TeamPartnerSettings


def conversations_of(ticket: Ticket) -> list[SideConversation]:
    """The ticket's side conversations, newest first, with their messages and authors (two queries)."""
    messages = SideMessage.objects.select_related("author_user").order_by("id")
    return list(
        SideConversation.objects.filter(ticket=ticket).prefetch_related(
            Prefetch("messages", queryset=messages)
        )
    )


def conversation_for(ticket: Ticket, pk: int) -> SideConversation | None:
    return SideConversation.objects.filter(ticket=ticket, pk=pk).select_related("ticket").first()


def team_settings() -> list[tuple[Team, TeamPartnerSettings | None]]:
    """Every team with its partner-mail setting (two queries)."""
    found = {s.team_id: s for s in TeamPartnerSettings.objects.all()}
    return [(team, found.get(team.pk)) for team in Team.objects.order_by("name")]

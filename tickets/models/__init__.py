"""The core of the helpdesk (DESIGN §2): organizations, contacts, teams, tickets, their conversation, the
append-only audit trail, the notification outbox and what the agent screens keep. This app imports no
other app. Importers use ``tickets.models``; the modules of this package are its sections."""

from .agent import CannedResponse, ReplyDraft, SavedView, TicketSeen
from .choices import (
    ACTIVE_STATUSES,
    FINISHED_STATUSES,
    PAUSED_STATUSES,
    PRIORITY_RANK,
    SUPPORT_TEAM,
    TIER_ORDER,
    UNFINISHED_STATUSES,
    Kind,
    MessageFormat,
    MessageKind,
    NextAction,
    Priority,
    SlaBand,
    Status,
    Tier,
    TriageDecision,
    Visibility,
)
from .links import LinkKind, TicketLink
from .mail import InboundMessage, Notification
from .ticket import Contact, Counter, Message, Organization, Tag, Team, Ticket, TicketEvent

__all__ = [
    "ACTIVE_STATUSES",
    "FINISHED_STATUSES",
    "PAUSED_STATUSES",
    "PRIORITY_RANK",
    "SUPPORT_TEAM",
    "TIER_ORDER",
    "UNFINISHED_STATUSES",
    "CannedResponse",
    "Contact",
    "Counter",
    "InboundMessage",
    "Kind",
    "LinkKind",
    "Message",
    "MessageFormat",
    "MessageKind",
    "NextAction",
    "Notification",
    "Organization",
    "Priority",
    "ReplyDraft",
    "SavedView",
    "TicketSeen",
    "SlaBand",
    "Status",
    "Tag",
    "Team",
    "Ticket",
    "TicketEvent",
    "TicketLink",
    "Tier",
    "TriageDecision",
    "Visibility",
]

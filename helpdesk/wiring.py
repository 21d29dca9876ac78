"""Every signal receiver of the project, connected in one place (called once from ``helpdesk/apps.py``).

Three kinds, each where the decoupling is real:

* the ticket domain signals (``tickets/signals.py``): ``tickets`` imports no other app, so triage,
  escalation, the SLA and notifications follow a ticket through them. They are sent inside the ticket
  service's transaction with the ticket row locked; a receiver that raises rolls the whole change back.
* model signals that drop cached lookups (a person's role, the SLA calendar map) when their rows change,
  and the database connection signal that installs the fast timestamp loader;
* model signals that retire a ticket's cached workspace fragments (``tickets/fragments.py``) when a row it
  shows changes without touching the ticket row.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db.backends.signals import connection_created
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from attachments.models import Attachment
from escalation import receivers as escalation_receivers
from escalation.models import (
    KnownIssue,
    KnownIssueBroadcast,
    KnownIssueLink,
    OnCallPage,
    OnCallShift,
    TierAssignment,
)
from helpdesk.permissions import forget_role
from helpdesk.timestamps import use_c_loader
from knowledge import receivers as knowledge_receivers
from knowledge.models import Article, MissedDoc
from macros.models import Macro
from macros.selectors import forget_picks
from mail import receivers as mail_receivers
from mail.models import InboundEmail
from notifications import receivers as notifications_receivers
from partners.models import SideConversation, SideMessage, TeamPartnerSettings
from playbook.models import PlaybookSetting
from sla import receivers as sla_receivers
from sla.display import forget_calendar_map
from sla.models import BusinessCalendar, SlaClock, SlaPolicy
from tickets import fragments, signals
from tickets.models import (
    CannedResponse,
    Contact,
    Message,
    Organization,
    Team,
    Ticket,
    TicketEvent,
    TicketLink,
)
from tickets.selectors import forget_canned
from triage import receivers as triage_receivers
from triage.models import EffortReview


def connect() -> None:
    _ticket_receivers()
    _cache_receivers()
    _fragment_receivers()


def _ticket_receivers() -> None:
    # A ticket was created (by a requester's message, a split or the portal): its SLA clock starts.
    signals.ticket_created.connect(sla_receivers.on_ticket_created, dispatch_uid="sla.ticket_created")
    # Status moves pause, resume or stop the SLA clock and its nudge timers — for a whole batch of tickets
    # at once (a sweep's chunk; a person's change is a batch of one).
    signals.status_changed_many.connect(
        sla_receivers.on_status_changed_many, dispatch_uid="sla.status_changed_many"
    )
    # A new tier: the SLA clock restarts there; entering or leaving on-call opens or stops the paging.
    signals.tier_changed.connect(sla_receivers.on_tier_changed, dispatch_uid="sla.tier_changed")
    signals.tier_changed.connect(escalation_receivers.on_tier_changed, dispatch_uid="escalation.tier_changed")
    # A staff member's public reply: the tier responded, commitments are settled.
    signals.public_reply.connect(sla_receivers.on_public_reply, dispatch_uid="sla.public_reply")
    # The requester wrote: back to the triage lead when triage had answered it; a new SLA clock.
    signals.requester_replied.connect(
        triage_receivers.on_requester_replied, dispatch_uid="triage.requester_replied"
    )
    signals.requester_replied.connect(
        sla_receivers.on_requester_replied, dispatch_uid="sla.requester_replied"
    )
    # Another team owns the ticket now: the tier's SLA clock stops.
    signals.left_queue.connect(sla_receivers.on_left_queue, dispatch_uid="sla.left_queue")
    # Every batch of TicketEvents: followers, @mentions, hand-offs and chat hooks hear about them.
    signals.events_recorded.connect(notifications_receivers.on_events, dispatch_uid="notifications.on_events")
    # Knowledge base: a public reply records the articles it links to; a resolution asks for a rating;
    # "Proposed User/Internal Doc" tags become proposals; "Missed Doc Review" points at the article.
    signals.public_reply.connect(knowledge_receivers.on_public_reply, dispatch_uid="knowledge.public_reply")
    signals.status_changed_many.connect(
        knowledge_receivers.on_status_changed_many, dispatch_uid="knowledge.status_changed_many"
    )
    signals.events_recorded.connect(knowledge_receivers.on_events, dispatch_uid="knowledge.on_events")
    # Marked as spam / not spam: the sender is blocked / unblocked, the SLA clock stops / counts again.
    signals.spam_changed.connect(mail_receivers.on_spam_changed, dispatch_uid="mail.spam_changed")
    signals.spam_changed.connect(sla_receivers.on_spam_changed, dispatch_uid="sla.spam_changed")


def _cache_receivers() -> None:
    # Every new PostgreSQL connection reads timestamps with psycopg's C loader (helpdesk/timestamps.py).
    connection_created.connect(use_c_loader, dispatch_uid="helpdesk-c-timestamps")
    # helpdesk/permissions.py caches each person's role.
    post_save.connect(forget_role, sender=User, dispatch_uid="helpdesk-forget-role-user")
    m2m_changed.connect(forget_role, sender=User.groups.through, dispatch_uid="helpdesk-forget-role-groups")
    pre_delete.connect(forget_role, sender=Group, dispatch_uid="helpdesk-forget-role-group-deleted")
    # sla/display.py caches which calendar applies to which tier, priority and organization.
    for model in (BusinessCalendar, SlaPolicy):
        post_save.connect(forget_calendar_map, sender=model, dispatch_uid=f"sla-map-save-{model.__name__}")
        post_delete.connect(
            forget_calendar_map, sender=model, dispatch_uid=f"sla-map-delete-{model.__name__}"
        )
    m2m_changed.connect(
        forget_calendar_map, sender=BusinessCalendar.organizations.through, dispatch_uid="sla-map-orgs"
    )
    # The reply box's pickers: canned responses (tickets/selectors.py) and macros (macros/selectors.py).
    for when, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(forget_canned, sender=CannedResponse, dispatch_uid=f"canned-picks-{when}")
        signal.connect(forget_picks, sender=Macro, dispatch_uid=f"macro-picks-{when}")


def _fragment_receivers() -> None:
    """tickets/fragments.py: rows the workspace shows that change without touching the ticket row (which
    bumps its version) give the ticket's cached fragments a new generation; rows shown by every ticket's
    panels (and every ticket event) give the panels a new shared generation."""
    per_ticket: tuple[type[Model], ...] = (
        TicketLink,
        SideConversation,
        EffortReview,
        KnownIssueLink,
        OnCallPage,
        InboundEmail,
        MissedDoc,
    )
    shared: tuple[type[Model], ...] = (KnownIssue, KnownIssueBroadcast, Article, OnCallShift, TierAssignment)
    shared += (Team, TeamPartnerSettings, User, Contact, Organization, PlaybookSetting)
    for when, signal in (("save", post_save), ("delete", post_delete)):
        for model in per_ticket:
            uid = f"ws-fragments-{when}-{model.__name__}"
            signal.connect(fragments.on_row_changed, sender=model, dispatch_uid=uid)
        for shared_model in shared:
            uid = f"ws-fragments-shared-{when}-{shared_model.__name__}"
            signal.connect(fragments.shared_changed, sender=shared_model, dispatch_uid=uid)
        # Tickets and clocks saved one by one (admin, imports, fixtures; the services write with UPDATEs
        # that record an event): the dashboard's counts and other tickets' panels.
        for ticket_model in (Ticket, SlaClock):
            uid = f"ws-fragments-tickets-{when}-{ticket_model.__name__}"
            signal.connect(fragments.tickets_changed, sender=ticket_model, dispatch_uid=uid)
        signal.connect(
            fragments.on_ticket_event, sender=TicketEvent, dispatch_uid=f"ws-fragments-{when}-event"
        )
        uid = f"ws-fragments-{when}-message"  # the conversation's generation, not the panels' rows
        signal.connect(fragments.on_message_changed, sender=Message, dispatch_uid=uid)
        uid = f"ws-fragments-{when}-file"
        signal.connect(fragments.on_attachment_changed, sender=Attachment, dispatch_uid=uid)
        signal.connect(_side_message_changed, sender=SideMessage, dispatch_uid=f"ws-fragments-{when}-side")
    for through in (Ticket.followers.through, Ticket.tags.through, Ticket.cc_contacts.through):
        uid = f"ws-fragments-{through.__name__}"
        m2m_changed.connect(fragments.on_ticket_m2m_changed, sender=through, dispatch_uid=uid)
    m2m_changed.connect(
        fragments.shared_changed, sender=User.groups.through, dispatch_uid="ws-fragments-roles"
    )


def _side_message_changed(sender: type[SideMessage], instance: SideMessage, **kwargs: object) -> None:
    fragments.changed(
        SideConversation.objects.filter(pk=instance.conversation_id).values_list("ticket_id", flat=True)
    )

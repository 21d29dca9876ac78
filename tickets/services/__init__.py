"""Every write to a ticket goes through this package (DESIGN §3, §11): one ``transaction.atomic()`` per
change, the ticket row locked, the move validated, a TicketEvent written, timers recomputed and the domain
signals sent so triage, escalation and the SLA follow along in the same transaction.

Other apps call the names below as ``tickets.services.<name>`` (the app's service interface); the
modules are its sections: ``core`` (lock, event, version, opening a ticket), ``status`` (the status
machine), ``conversation`` (replies, notes, the requester writing), ``properties`` (priority, tier, team,
assignee, tags, followers) and ``agent`` (the agent screens' own writes, imported as a module)."""

from .conversation import add_note, add_reply, add_requester_reply, add_system_note, send_reply
from .core import lock, next_number, open_ticket, record, record_many, write_unversioned
from .properties import add_tag, route_to_team, set_following, set_tags, take, update_ticket
from .status import TRANSITIONS, change_status, schedule_timer, timer_days, transition, transition_many

__all__ = [
    "TRANSITIONS",
    "add_note",
    "add_reply",
    "add_requester_reply",
    "add_system_note",
    "add_tag",
    "change_status",
    "lock",
    "next_number",
    "open_ticket",
    "record",
    "record_many",
    "route_to_team",
    "schedule_timer",
    "send_reply",
    "set_following",
    "set_tags",
    "take",
    "timer_days",
    "transition",
    "transition_many",
    "update_ticket",
    "write_unversioned",
]

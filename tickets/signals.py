"""Domain signals: how ``tickets`` tells other apps what happened without importing them (DESIGN §9).

Receivers run synchronously inside the sender's transaction, with the ticket row locked, so whatever
they write commits or rolls back together with the change (a receiver that raises rolls it back). Every
signal sends ``ticket`` and ``at``. The receivers are connected in ``helpdesk/wiring.py``.
"""

from django.dispatch import Signal

__all__ = [
    "ticket_created",
    "status_changed",
    "tier_changed",
    "public_reply",
    "requester_replied",
    "left_queue",
    "event_recorded",
    "spam_changed",
]

# kwargs: ticket, at, by
ticket_created = Signal()
# kwargs: ticket, at, by, old, new  (statuses)
status_changed = Signal()
# kwargs: ticket, at, by, old, new  (tiers)
tier_changed = Signal()
# kwargs: ticket, at, by, message  (a staff member's public reply)
public_reply = Signal()
# kwargs: ticket, at, message  (the requester wrote)
requester_replied = Signal()
# kwargs: ticket, at, by, reason  (the ticket left its tier's view without changing tier, e.g. triage sent
# it to another team or to account management: its SLA clock stops)
left_queue = Signal()
# kwargs: ticket, at, by, event  (every TicketEvent written through ``services.record``: followers,
# mentions, hand-offs and chat hooks listen here instead of the core calling them)
event_recorded = Signal()
# kwargs: ticket, at, by, spam (True: marked as spam, out of every queue, its sender blocked; False: "Not
# spam", back in its queue, the sender unblocked)
spam_changed = Signal()

"""Domain signals: how ``tickets`` tells other apps what happened without importing them (DESIGN §9).

Receivers run synchronously inside the sender's transaction, with the ticket row locked, so whatever
they write commits or rolls back together with the change. Every signal sends ``ticket`` and ``at``.
"""

from django.dispatch import Signal

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

"""Domain signals: how ``tickets`` tells other apps what happened without importing them (DESIGN §9).

Receivers run synchronously inside the sender's transaction, with the ticket row locked, so whatever
they write commits or rolls back together with the change (a receiver that raises rolls it back). Every
signal sends ``ticket`` and ``at`` — but the two a sweep sends by the thousand, ``status_changed_many`` and
``events_recorded``, carry a whole batch (issue #20 §5): their receivers handle it set-based, and a
person's single change is a batch of one through the same receivers. The receivers are connected in
``helpdesk/wiring.py``.
"""

from django.dispatch import Signal

__all__ = [
    "ticket_created",
    "status_changed_many",
    "tier_changed",
    "public_reply",
    "requester_replied",
    "left_queue",
    "events_recorded",
    "spam_changed",
]

# kwargs: ticket, at, by
ticket_created = Signal()
# kwargs: tickets, olds, at, by, new  (the locked tickets moved to status ``new`` together, each from its
# ``olds[i]``; a person's change is a batch of one)
status_changed_many = Signal()
# kwargs: ticket, at, by, old, new  (tiers)
tier_changed = Signal()
# kwargs: ticket, at, by, message  (a staff member's public reply)
public_reply = Signal()
# kwargs: ticket, at, message  (the requester wrote)
requester_replied = Signal()
# kwargs: ticket, at, by, reason  (the ticket left its tier's view without changing tier, e.g. triage sent
# it to another team or to account management: its SLA clock stops)
left_queue = Signal()
# kwargs: recorded  (a list of ``(ticket, by, event)``, in order: the TicketEvents one
# ``services.record_many`` wrote with one INSERT — ``record`` is a batch of one. Followers, mentions,
# hand-offs and chat hooks listen here instead of the core calling them)
events_recorded = Signal()
# kwargs: ticket, at, by, spam (True: marked as spam, out of every queue, its sender blocked; False: "Not
# spam", back in its queue, the sender unblocked)
spam_changed = Signal()

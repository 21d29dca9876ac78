"""The demo's live board (issue #17 item 7): who is working on what right now, written relative to "now"
in business hours so the demo is current whenever it is seeded.

A healthy team: most running clocks green, a few yellow, three red — each red one with an internal note
saying why (a partner, a payment provider, an engineering fix). Every agent owns at most the WIP limit
(3) except Blair (agent2), who took a fourth during the lunch rush. Seven open Airbnb sync tickets for
the known issue, two for the 2FA one; three promises ("next update by") due later today."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Kind, Priority, Status, Tier


@dataclass(frozen=True)
class Live:
    subject: str
    contact: int  # index into the demo contacts (even: an authorised owner, odd: an assistant)
    tier: str
    owner: str | None  # username; None = unassigned in the tier's queue
    opened: float  # business hours ago the requester wrote
    approved: float | None = None  # business hours ago triage approved it; None = still in triage
    replied: float | None = None  # business hours ago we answered publicly (setting ``status``)
    status: str = Status.OPEN
    again: float | None = None  # business hours ago the requester wrote again (a new SLA clock)
    note: str = ""  # an internal note, written just after the last step
    promise_hours: float | None = None  # "next update by" this many hours from now, with the reply
    priority: str = Priority.NORMAL
    kind: str = Kind.QUESTION


PARTNER = (
    "Waiting on a partner: VRBO support is checking the sync error on their side (their case 58213) and "
    "promised an answer by tomorrow morning. The requester knows; the next step is theirs."
)
PAYMENTS = (
    "Waiting on the payment provider: the refund is stuck in their review queue (case 4471). They expect "
    "to release it today; I told the requester by phone this morning."
)
DATA_FIX = (
    "Needs a data fix: the May statement job skipped the two bookings from the 28th. Engineering's fix "
    "ships in tonight's release; I'll re-run the statement first thing tomorrow and reply then."
)
RED_REASONS = (PARTNER, PAYMENTS, DATA_FIX)
AIRBNB = "Calendar not syncing with Airbnb"
TWO_FA = "Two-factor code never arrives"

T1, T2, T3, T4, TRIAGE = Tier.T1, Tier.T2, Tier.T3, Tier.T4, Tier.TRIAGE
P, W, H = Status.PENDING, Status.WAITING, Status.HOLD

LIVE = (
    # Triage: a handful waiting for a decision, one of them for a while.
    Live("Guest cannot complete payment", 4, TRIAGE, None, 0.25, priority=Priority.HIGH),
    Live("Add a new property to our account", 6, TRIAGE, None, 0.6),
    Live("Invoice looks wrong this month", 2, TRIAGE, None, 0.9),
    Live("Owner statement missing bookings", 8, TRIAGE, None, 1.2),
    Live("Booking import failed", 3, TRIAGE, None, 2.6),
    # T1
    Live("Locked out of my account", 1, T1, "agent1", 0.9, 0.6, priority=Priority.HIGH),
    Live(TWO_FA, 3, T1, "agent1", 5, 4.8, 4.2, P, promise_hours=2),
    Live("Email templates not sending", 5, T1, "agent1", 1.1, 0.8),
    Live("Refund did not go through", 7, T1, "agent2", 0.7, 0.4),
    Live("Change the account owner email", 0, T1, "agent2", 9, 8.5, 8, W),
    Live("Guest cannot complete payment", 9, T1, "agent2", 3.5, 3.2, priority=Priority.HIGH),
    Live("Please change our cancellation policy", 2, T1, "agent2", 12, 11, 10, H, promise_hours=4),
    Live("Feature request: bulk edit rates", 4, T1, None, 0.5, 0.3, kind=Kind.FEATURE_REQUEST),
    Live(TWO_FA, 6, T1, None, 0.4, 0.2),
    Live("Locked out of my account", 8, T1, None, 0.35, 0.15),
    Live("Website widget shows wrong prices", 1, T1, None, 1.0, 0.7),
    # T2
    Live("Owner statement missing bookings", 3, T2, "agent3", 3, 2.5),
    Live("Booking import failed", 5, T2, "agent3", 11, 10),
    Live("VRBO listing delisted", 7, T2, "agent3", 30, 29, 28, again=18, note=PARTNER),
    Live("Invoice looks wrong this month", 9, T2, "agent4", 6, 5.5, 5, P),
    Live("Add a new property to our account", 0, T2, "agent4", 1.2, 1.0),
    Live("Refund did not go through", 2, T2, "agent4", 26, 25, 24, again=17, note=PAYMENTS),
    # The Airbnb known issue: parked on hold, unassigned, until the partner's fix.
    Live(AIRBNB, 1, T2, None, 14, 13.5, 13, H),
    Live(AIRBNB, 5, T2, None, 12, 11.5, 11, H),
    Live(AIRBNB, 7, T2, None, 9, 8.8, 8.5, H),
    Live(AIRBNB, 9, T2, None, 7, 6.5, 6, H),
    Live(AIRBNB, 3, T2, None, 5, 4.5, 4.2, H),
    # T3 and T4
    Live(AIRBNB, 4, T3, "eng1", 4, 2, kind=Kind.INCIDENT),
    Live(AIRBNB, 6, T3, "eng1", 14, 13, 12, W, promise_hours=3),
    Live("Owner statement missing bookings", 8, T3, "eng1", 40, 39, 38, again=20, note=DATA_FIX),
    Live("Booking import failed", 1, T4, "eng2", 7, 5, kind=Kind.BUG),
)

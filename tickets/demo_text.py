"""Words for the demo conversations: what requesters write, what agents answer and note, so every screen
has realistic tickets to show (foundation issue §8)."""

from __future__ import annotations

import random

FIRST_MESSAGES = {
    "Calendar not syncing with Airbnb": "Since yesterday our Airbnb calendar stopped updating. Two bookings "
    "from this morning are missing and I'm worried about double bookings this weekend.",
    "Guest cannot complete payment": "A guest tried three times to pay the deposit for 12–19 August and the "
    "card form just spins. They sent me a screenshot, nothing shows as declined.",
    "Please change our cancellation policy": "We'd like to move all our properties to the 'moderate' "
    "cancellation policy from next month. Can you make that change for us?",
    "Invoice looks wrong this month": "Our invoice for this month is almost double last month's, but we "
    "didn't add any properties. Could you explain the extra lines?",
    "Two-factor code never arrives": "I'm not receiving the two-factor code by text any more, so I can't "
    "sign in. My phone number hasn't changed.",
    "Locked out of my account": "After too many password attempts I'm locked out. I reset the password but "
    "it still says the account is locked.",
    "Add a new property to our account": "We've bought a cottage in the village and want to add it to our "
    "account with the same rates as Harbour House.",
    "Owner statement missing bookings": "The owner statement for May doesn't include the two bookings from "
    "the 28th. The owner noticed before I did, which is a bit embarrassing.",
    "Booking import failed": "The CSV import of last year's bookings stops at row 212 with 'invalid date'. "
    "The dates look fine to me.",
    "Website widget shows wrong prices": "The booking widget on our website shows last season's prices, "
    "although the rates in the back office are updated.",
    "Feature request: bulk edit rates": "It would save us hours if we could change the weekend rate for all "
    "properties at once instead of one by one.",
    "Email templates not sending": "Our check-in instructions email hasn't gone out for the last three "
    "arrivals. The template is switched on.",
    "VRBO listing delisted": "VRBO says our listing for Pine Ridge was delisted because of a sync error. "
    "Nothing changed on our side.",
    "Refund did not go through": "I refunded a guest last Tuesday but they say they haven't received "
    "anything and the payment still shows as captured.",
    "Change the account owner email": "Our office manager is leaving; please change the account owner "
    "email to the new address I'll send from.",
}
AGENT_REPLIES = [
    "Thanks for the details — I can see what you mean. Could you tell me the booking number of one example "
    "so I can trace it on our side?",
    "I've looked into this: the setting was switched off after the last import. I've turned it back on; "
    "could you check again and let me know?",
    "Thanks for your patience. This one needs a closer look from our engineers; I'll update you by tomorrow "
    "at the latest.",
    "Good news: this is fixed now. The missing items should appear within a few minutes.",
    "I've made the change you asked for. Please have a look and tell me if anything still looks off.",
]
REQUESTER_FOLLOW_UPS = [
    "Here is the booking number: BK-20418. It happened again this morning.",
    "Thanks, that seems to have worked for the first one but not the second.",
    "Any news on this? We have guests arriving on Friday.",
    "Perfect, all good now. Thank you!",
]
INTERNAL_NOTES = [
    "Checked the sync log: last successful run 14 h ago, token refresh failing. Looks like the partner API "
    "change from Monday.",
    "Same symptom as two other tickets this week — worth a known issue if a third one comes in.",
    "Customer is on the legacy plan; the change needs account management's OK first.",
    "Reproduced on staging with their settings. Escalation questions to follow if T2 can't see it.",
]


def first_message(subject: str) -> str:
    return FIRST_MESSAGES.get(subject, "Hello, we need help with this — details below.")


def conversation(rng: random.Random, length: int) -> list[tuple[str, str]]:
    """``length`` more messages after the first: ("agent"|"note"|"requester", body), alternating sensibly."""
    steps: list[tuple[str, str]] = []
    for i in range(length):
        if i % 3 == 0 and rng.random() < 0.6:
            steps.append(("note", rng.choice(INTERNAL_NOTES)))
        elif i % 2 == 0:
            steps.append(("agent", rng.choice(AGENT_REPLIES)))
        else:
            steps.append(("requester", rng.choice(REQUESTER_FOLLOW_UPS)))
    return steps


FIXED_REPLIES = [
    "Good news: this is fixed now. The missing items should appear within a few minutes.",
    "I've made the change you asked for; it is live now. I'll mark this as solved — just reply if "
    "anything still looks off.",
    "Thanks for flagging this. The setting was switched off after the last import; I've turned it back "
    "on and checked it works.",
]
UPDATE_REPLY = (
    "A quick update as promised: engineering found the cause and the fix is on its way. I'll let you know "
    "once it is live."
)
CLOSING_REPLY = "Glad to hear it's working. I'll close this one now — just reply if anything comes back."
STATUS_REPLIES = {
    "pending": "I've looked into this and made the fix on our side. Could you check again and let me know?",
    "waiting": "To look into this I need one more thing from you: could you send a screenshot of the "
    "error and the booking number it happened with?",
    "hold": "This is a known issue our engineers are working on. I've put your ticket on hold and will "
    "update you as soon as the fix is out.",
}


def reply_for(status: str) -> str:
    """What the agent wrote with the reply that set ``status`` on a ticket of the live board."""
    return STATUS_REPLIES.get(status, AGENT_REPLIES[0])

"""Canned answers for trivial tickets answered straight from triage (004 "known macros, 2fa issues,
locked account issues, 'i have a problem' with no relevant info")."""

CANNED_ANSWERS: list[tuple[str, str]] = [
    ("Two-factor reset", "Hello,\n\nWe have reset two-factor authentication on your account. Next time you "
     "sign in you will be asked to set it up again.\n\nBest wishes,\nThe support team"),
    ("Locked account", "Hello,\n\nYour account was locked after several failed sign-in attempts. We have "
     "unlocked it; you can sign in again now, or use “Forgot password” if you are unsure of it.\n\n"
     "Best wishes,\nThe support team"),
    ("Need more detail", "Hello,\n\nThank you for getting in touch. So that we can look into this, could you "
     "tell us the page or booking affected, what you expected to happen, what happened instead, and when?"
     "\n\nBest wishes,\nThe support team"),
]

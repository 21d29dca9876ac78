"""The playbook's own macros (004), shipped as editable shared defaults. Idempotent (get_or_create by
title), so a renamed or edited default is never overwritten."""

from django.db import migrations

DEFAULTS = [
    {
        # 004 "Sending to Engagement": a potential new client who has not signed up yet.
        "title": "New client: free trial + Engagement",
        "body": (
            "Hi {{ requester.first_name }},\n\n"
            "Thanks for your interest! The quickest way to see whether we fit is to try it: you can start a "
            "free trial today, no card needed, and keep everything you set up when you subscribe.\n\n"
            "Someone from our Engagement team will also give you a call to answer your questions and help "
            "you get started.\n\n{{ agent.first_name }}"
        ),
        "send_to_engagement": True,
        "engagement_reason": "prospect",
    },
    {
        # 004 "Trivial/urgent issues easy to address – known macros, 2fa issues, locked account issues".
        "title": "Two-factor / locked account",
        "body": (
            "Hi {{ requester.first_name }},\n\n"
            "We have reset the two-factor sign-in on your account. Sign in with your password and you will "
            "be asked to set up two-factor authentication again. If the account was locked after too many "
            "attempts, it unlocks on its own 15 minutes after the last try.\n\n"
            "Let us know if you still cannot get in.\n\n{{ agent.first_name }}"
        ),
        "status": "pending",
        "add_tags": "account-access",
    },
    {
        # 004: "“i have a problem” with no relevant info that allows tracing the booking": ask for it.
        "title": "Need more details",
        "body": (
            "Hi {{ requester.first_name }},\n\n"
            "Thanks for getting in touch. So we can trace what happened, could you send us the booking or "
            "record it concerns, what you expected to happen, what happened instead and, if you can, a "
            "screenshot?\n\n{{ agent.first_name }}"
        ),
        "status": "waiting",
    },
    {
        # 004 "Feature Requests": post one of the /fr1 replies, then forward to Product.
        "title": "Feature request received",
        "body": (
            "Hi {{ requester.first_name }},\n\n"
            "Thank you for the suggestion. We have passed it to our Product team, who review every request "
            "when they plan what comes next. We can't promise a date, but your use case is now on their "
            "list.\n\n{{ agent.first_name }}"
        ),
        "note": "Feature request: passed to Product.",
        "add_tags": "feature-request",
        "status": "resolved",
    },
]


def seed(apps, schema_editor):
    Macro = apps.get_model("macros", "Macro")
    for row in DEFAULTS:
        fields = dict(row)
        Macro.objects.get_or_create(title=fields.pop("title"), owner=None, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("macros", "0001_macro")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Which reason group a notice belongs to (the user's preferences are per group), and which notices can
never be fully silenced (on-call pages, an SLA turning red)."""

from __future__ import annotations

from django.db import models


class Group(models.TextChoices):
    MINE = "mine", "My tickets"
    FOLLOWED = "followed", "Tickets I follow"
    MENTIONS = "mentions", "Mentions and hand-offs"
    SLA = "sla", "SLA warnings, nudges and promises"
    ONCALL = "oncall", "On-call pages"
    TRIAGE = "triage", "Triage and authorisations"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app"
    EMAIL = "email", "Email"
    BOTH = "both", "In the app and email"
    NONE = "none", "Nothing"


# Every reason the product writes for staff, by group. A reason not listed here stays in the app.
REASONS: dict[str, tuple[str, ...]] = {
    Group.MINE: ("assigned", "requester_replied", "follow_up_opened"),
    Group.FOLLOWED: (
        "followed_reply",
        "followed_note",
        "followed_requester",
        "followed_status",
        "followed_assignee",
    ),
    Group.MENTIONS: (
        "mention",
        "handoff_product",
        "handoff_engagement",
        "handoff_marketing",
        "account_manager",
    ),
    Group.SLA: (
        "sla_yellow",
        "sla_red",
        "stale_nudge",
        "holding_reply_offered",
        "commitment_reminder",
        "commitment_missed",
    ),
    Group.ONCALL: ("oncall_new", "oncall_gap", "oncall_wake_me_up", "oncall_next", "oncall_page_now"),
    Group.TRIAGE: (
        "project_work",
        "chargeable_lead",
        "authorisation_confirmed",
        "authorisation_declined",
        "effort_review",
        "effort_decided",
    ),
}
GROUP_OF = {reason: group for group, reasons in REASONS.items() for reason in reasons}
NEVER_SILENT = frozenset({"sla_red", *REASONS[Group.ONCALL]})
# Notices the paging code already emails at once: the digest leaves them out (never twice).
EMAILED_AT_ONCE = frozenset(REASONS[Group.ONCALL])
DEFAULT_CHANNEL = Channel.IN_APP


def group_of(reason: str) -> str | None:
    if reason in GROUP_OF:
        return GROUP_OF[reason]
    return Group.ONCALL if reason.startswith("oncall") else None


def wants_in_app(reason: str, channel: str) -> bool:
    return channel in (Channel.IN_APP, Channel.BOTH) or (reason in NEVER_SILENT and channel == Channel.NONE)


def wants_email(channel: str) -> bool:
    return channel in (Channel.EMAIL, Channel.BOTH)

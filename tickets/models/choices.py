"""The values a ticket takes (status, priority, tier …) and the constants built from them."""

from __future__ import annotations

from django.db import models

SUPPORT_TEAM = (
    "helpdesk"  # the team that works the tier queues (migration 0002); other teams own their tickets
)


class Status(models.TextChoices):
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    WAITING = "waiting", "Waiting on customer"
    HOLD = "hold", "On hold"
    REVIEW = "review", "Review"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


# Statuses in which the ticket waits for us (Review "acts as Open internally").
ACTIVE_STATUSES = (Status.OPEN, Status.REVIEW)
# Statuses in which the SLA clock is paused.
PAUSED_STATUSES = (Status.PENDING, Status.WAITING, Status.HOLD)
UNFINISHED_STATUSES = ACTIVE_STATUSES + PAUSED_STATUSES
FINISHED_STATUSES = (Status.RESOLVED, Status.CLOSED)


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class Kind(models.TextChoices):
    QUESTION = "question", "Question"
    INCIDENT = "incident", "Incident"
    BUG = "bug", "Bug"
    CHANGE_REQUEST = "change_request", "Change request"
    FEATURE_REQUEST = "feature_request", "Feature request"


class Tier(models.TextChoices):
    TRIAGE = "triage", "Triage"
    T1 = "t1", "T1"
    T2 = "t2", "T2"
    T3 = "t3", "T3"
    T4 = "t4", "T4"
    T5 = "t5", "T5"
    ONCALL = "oncall", "On-call"


TIER_ORDER = [Tier.TRIAGE, Tier.T1, Tier.T2, Tier.T3, Tier.T4, Tier.T5, Tier.ONCALL]


class NextAction(models.TextChoices):
    REMIND = "remind", "Send a reminder"
    AUTO_RESOLVE = "auto_resolve", "Resolve (no reply)"
    AUTO_CLOSE = "auto_close", "Close"
    REOPEN = "reopen", "Back to Open"


class SlaBand(models.TextChoices):
    NONE = "", "—"
    GREEN = "green", "Green"
    YELLOW = "yellow", "Yellow"
    RED = "red", "Red"
    PAUSED = "paused", "Paused"


class TriageDecision(models.TextChoices):
    NONE = "", "Not triaged"
    APPROVED = "approved", "Approved as support"
    PROJECT = "project", "Project work"
    REROUTED = "rerouted", "Rerouted"
    CHARGEABLE = "chargeable", "Chargeable"
    ANSWERED = "answered", "Answered in triage"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public reply"
    INTERNAL = "internal", "Internal note"


class MessageKind(models.TextChoices):
    REPLY = "reply", "Reply"
    NOTE = "note", "Note"
    TRANSITION = "transition", "Transition comment"
    ESCALATION = "escalation", "Escalation questions"
    SYSTEM = "system", "System"


class MessageFormat(models.TextChoices):
    PLAIN = "plain", "Plain text"
    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML"

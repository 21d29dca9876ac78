"""The ticket workspace as this project composes it: every side panel, reply-form extension, row
provider and bulk action the feature apps add to the core screens, listed in order. ``tickets`` defines
the shapes (``tickets/extensions.py``, ``tickets/bulk.py``) and imports no other app; ``helpdesk/apps.py``
installs this list at startup. A new panel or bulk action is one line here. ``steady=True``: the panel
shows neither time nor other tickets (its cached fragment outlives other tickets' changes); ``reads``: the
ticket fields it shows, so its fragment also outlives this ticket's changes of the others (a reply, a status
change), and the rules it applies whose verdict changes with time (keyed on the verdict, not the minute);
``alone``: given its data, whether a render shows no other ticket (kept until the ticket's own rows change);
``any_ticket``: it shows tickets of other requesters (retired by every ticket event, not only theirs).
List a field here when a panel's template or provider starts showing it."""

from __future__ import annotations

from typing import Any

from attachments.templatetags.attachments_tags import message_files
from escalation import panels as escalation_panels
from escalation.selectors import tiers_of
from macros import bulk as macro_bulk
from macros import panels as macro_panels
from mail import panels as mail_panels
from partners import panels as partner_panels
from sla import panels as sla_panels
from sla.commitments import commit_from_reply
from sla.display import time_left
from tickets import bulk
from tickets import panels as ticket_panels
from tickets.extensions import Panel, ReplyExtension, ReplyTool, Workspace
from tickets.fragments import MESSAGES
from tickets.views import links as ticket_links
from triage import panels as triage_panels


def _escalation(template: str, *reads: Any) -> Panel:
    """An escalation panel: built from the escalation context (once for all of them), steady, keyed on
    what it ``reads`` of the ticket (fields and rules)."""
    return Panel(
        f"escalation/panels/{template}", escalation_panels.workspace_context, steady=True, reads=reads
    )


WORKSPACE = Workspace(
    panels=(
        Panel("triage/panels/split.html", steady=True, reads=("split_from_id",)),
        Panel(
            "tickets/panels/merge_spam.html",
            ticket_panels.merge_context,
            reads=("subject", "requester_id", "organization_id", "merged_into_id", "spam_at"),
        ),
        Panel("triage/panels/effort.html", triage_panels.workspace_context, steady=True, reads=()),
        _escalation(
            "timebox.html", "tier", "assignee_id", "tier_entered_at", escalation_panels.time_box_rules
        ),
        _escalation("oncall_ack.html", "tier", escalation_panels.oncall_rules),
        _escalation(
            "escalate_up.html", "tier", "subject", "requester_id", escalation_panels.escalate_up_rules
        ),
        _escalation("escalate_down.html", "tier"),
        _escalation("known_issue.html"),
        Panel("knowledge/panels/suggested_docs.html", steady=True, reads=("subject", MESSAGES)),
        _escalation("routing.html", "kind", "notify_product"),
        Panel("sla/panels/commitment.html", steady=True, reads=("commitment_due_at", "commitment_missed")),
        Panel("notifications/panels/presence.html", steady=True, reads=()),
        Panel("notifications/panels/handoffs.html", steady=True, reads=()),
        Panel("mail/panels/email.html", mail_panels.workspace_context, steady=True, reads=()),
        Panel(
            "tickets/panels/links.html",
            ticket_links.panel_context,
            alone=ticket_links.shows_no_ticket,
            any_ticket=True,
        ),
        Panel(
            "partners/panels/side_conversations.html",
            partner_panels.workspace_context,
            steady=True,
            reads=("team_id",),
        ),
    ),
    reply_extensions=(
        ReplyExtension("sla/reply/next_update.html", commit_from_reply, sla_panels.workspace_context),
    ),
    reply_tools=(
        ReplyTool("macros/reply/picker.html", "macros/reply/forms.html", macro_panels.reply_context),
    ),
    time_left=time_left,
    message_files=message_files,
    my_tiers=tiers_of,
    bulk_actions=(
        bulk.ASSIGN,
        bulk.TAKE,
        bulk.STATUS,
        bulk.PRIORITY,
        bulk.TIER,
        bulk.TAGS,
        macro_bulk.APPLY_MACRO,
        bulk.MERGE,
        bulk.SPAM,
        bulk.NOT_SPAM,
    ),
)

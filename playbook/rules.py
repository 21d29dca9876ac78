"""The catalogue of the rules the product enforces, in the support team's words, grouped as the Playbook
screen shows them. Each rule names its tunable parameters (``playbook.params``), its fixed facts, where
it lives, and which of this week's figures (``selectors.week_figures``) show it acting and followed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .selectors import Figures

GROUPS = (
    ("intake", "Intake and triage"),
    ("ownership", "Ownership"),
    ("informed", "Keeping the requester informed"),
    ("statuses", "Statuses and timers"),
    ("sla", "SLA"),
    ("escalation", "Escalation"),
    ("known_issues", "Known issues"),
    ("oncall", "On-call"),
    ("routing", "Routing to other teams"),
    ("docs", "Docs"),
    ("handover", "Handover"),
)


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    kind: str = "acted"  # "acted" (how often the rule acted) or "followed" (how well the team followed it)
    tickets: tuple[int, ...] = ()


@dataclass(frozen=True)
class Rule:
    slug: str
    group: str
    title: str
    text: str
    params: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    screen: str = ""  # where the team works with it
    on: bool = True
    figures: Callable[[Figures], list[Figure]] = field(default=lambda f: [])


def _n(fig: Figures, name: str, label: str, kind: str = "acted", link: str = "") -> Figure:
    return Figure(label, str(fig[name]), kind, tuple(dict.fromkeys(fig.links.get(link or name, []))))


RULES: tuple[Rule, ...] = (
    Rule(
        "triage-first",
        "intake",
        "Every new ticket is decided in triage first",
        "Nobody works on a new ticket until a triage lead approves it to a tier, marks it project work, "
        "reroutes it, makes it chargeable or answers it at once. Approving starts the tier's SLA clock.",
        screen="/triage/",
        figures=lambda f: [
            _n(f, "triaged", "decided this week"),
            _n(f, "awaiting_triage", "waiting for a decision now", "followed"),
        ],
    ),
    Rule(
        "t2-transition",
        "intake",
        "Known to need T2 research: the requester is told on approval",
        "Approving a ticket from triage straight to T2 sends the requester the transition comment "
        "(a specialist colleague will research it and reply here) as part of the decision.",
        screen="/triage/",
        figures=lambda f: [_n(f, "t2_transition", "approvals to T2 with the comment this week")],
    ),
    Rule(
        "authorised-contacts",
        "intake",
        "Only authorised contacts get work done",
        "A request from someone who is not an authorised contact of the organization waits until an "
        "authorised contact confirms it through an emailed link, or a manager overrides.",
        params=("authorisation_link_days",),
        figures=lambda f: [_n(f, "authorisation_requested", "confirmations asked this week")],
    ),
    Rule(
        "reply-to-closed",
        "intake",
        "A reply to a closed ticket opens a new linked ticket",
        "Closed stays closed: the requester's new message becomes a new ticket linked to the old one, "
        "and the requester is told its number. A requester writing again about an answered or project "
        "ticket sends it back to triage.",
        figures=lambda f: [
            _n(f, "follow_up_opened", "follow-up tickets opened"),
            _n(f, "back_to_triage", "sent back to triage"),
        ],
    ),
    Rule(
        "rota-handback",
        "ownership",
        "Not on support tomorrow: tickets go back to the group",
        "On the last day of someone's support stint (no rota entry on the next working day) they are "
        "prompted, if they still own unfinished tickets, and can choose a colleague to take them. After "
        "the grace period the tickets go to that colleague or back to their tier's queue, each with a note.",
        params=("rota_prompt_hour", "rota_grace_hours"),
        screen="/oncall/handback/",
        figures=lambda f: [
            _n(f, "rota_prompts", "people prompted this week"),
            _n(f, "rota_handed_back", "tickets handed back", "followed", link="rota_handed_back"),
        ],
    ),
    Rule(
        "wip-limit",
        "ownership",
        "Work in progress is limited",
        "Taking a ticket beyond the limit warns the person; My work and the dashboard show each "
        "person's load against it.",
        params=("wip_limit",),
        screen="/",
        figures=lambda f: [
            _n(f, "owned_active", "unfinished owned tickets now"),
            _n(f, "over_wip", "people over the limit now", "followed"),
        ],
    ),
    Rule(
        "effort-limit",
        "ownership",
        "Big pieces of work go to the Operations Lead",
        "When an agent estimates a ticket at more than the limit, and it was not arranged with the "
        "requester beforehand, the triage leads on the rota are told and the ticket carries "
        "“awaiting operations lead” until one of them decides how it should be resolved.",
        params=("effort_limit_days",),
        screen="/triage/",
        figures=lambda f: [
            _n(f, "effort_raised", "raised this week"),
            _n(f, "effort_decided", "decided this week", "followed"),
            _n(f, "effort_awaiting", "awaiting a decision now", "followed"),
        ],
    ),
    Rule(
        "daily-update",
        "ownership",
        "The requester hears from us every working day",
        "When the requester of an unfinished ticket has not had a public reply for the set business "
        "time, its owner gets a nudge (the tier lead when nobody owns it), once per stale period.",
        params=("stale_nudge_business_days",),
        figures=lambda f: [
            _n(f, "stale_nudge", "nudges sent this week"),
            Figure(
                "owned tickets updated within the period",
                f"{f['updated_daily_pct']} %",
                "followed",
                tuple(dict.fromkeys(f.links.get("stale_nudge", []))),
            ),
        ],
    ),
    Rule(
        "commitments",
        "informed",
        "Promised updates are kept",
        "An agent can promise “next update by …” in the reply form. The owner is reminded before the "
        "time; a missed promise is flagged on the ticket until the requester hears from us.",
        params=("commitment_reminder_minutes",),
        figures=lambda f: [
            _n(f, "commitment_set", "promises made this week"),
            Figure(
                "promises kept",
                f"{f['commitments_kept']} of {f['commitments_kept'] + f['commitments_late']}",
                "followed",
            ),
            _n(f, "commitment_missed", "promises missed", "followed"),
        ],
    ),
    Rule(
        "holding-reply",
        "informed",
        "A long research gets a holding reply (T3)",
        "A T3 ticket not answered for the set business time offers its owner a ready-made “we're still "
        "looking” reply to send with one click.",
        params=("holding_reply_business_days",),
        figures=lambda f: [_n(f, "holding_reply_offered", "holding replies offered this week")],
    ),
    Rule(
        "pending",
        "statuses",
        "Pending tickets are followed up, then resolved",
        "A ticket waiting for the requester's answer gets a friendly reminder in the conversation after "
        "the set days (counted from our latest answer), then the next ones, and is resolved automatically "
        "after the last. Any requester reply opens it again.",
        params=("pending_reminder_days", "pending_reminders", "pending_resolve_days"),
        figures=lambda f: [
            _n(f, "reminder_sent", "reminders sent this week"),
            _n(f, "auto_resolved", "resolved automatically"),
        ],
    ),
    Rule(
        "resolved-close",
        "statuses",
        "Resolved tickets close by themselves",
        "A resolved ticket the requester does not answer is closed after the set days.",
        params=("resolved_close_days",),
        figures=lambda f: [_n(f, "auto_closed", "closed this week")],
    ),
    Rule(
        "waiting-hold",
        "statuses",
        "Waiting and On hold come back to Open",
        "Waiting on customer goes back to Open after the set days; On hold after the days chosen when "
        "it was put on hold, with an internal note. The SLA clock pauses meanwhile.",
        params=("waiting_reopen_days",),
        facts=(("On hold", "the days chosen per ticket (1–365)"),),
        figures=lambda f: [
            _n(f, "waiting_reopened", "Waiting → Open this week"),
            _n(f, "hold_expired", "holds expired"),
        ],
    ),
    Rule(
        "sla-bands",
        "sla",
        "Every tier answers within its SLA",
        "Each tier (optionally each priority) has green and yellow limits in business time of the "
        "requester's calendar; beyond yellow is red. The assignee is warned on yellow and the tier lead "
        "on red, once per clock; clocks pause in Pending, Waiting and On hold.",
        screen="/sla/policies/",
        figures=lambda f: [
            _n(f, "sla_clock_started", "clocks started this week"),
            _n(f, "sla_yellow", "turned yellow", "followed"),
            _n(f, "sla_red", "turned red", "followed"),
        ],
    ),
    Rule(
        "priority-targets",
        "sla",
        "First response and resolution targets per priority",
        "Besides each tier's SLA (above, optionally per priority), every priority has a first-response "
        "and a resolution target in hours; the dashboard shows them next to the measured medians and "
        "marks a median over its target.",
        params=("first_response_targets", "resolution_targets"),
        screen="/dashboard/",
    ),
    Rule(
        "t4-tuesday",
        "sla",
        "T4 behind on green by Tuesday evening: ask for another engineer",
        "After close of business on Tuesday in T4's calendar, when enough T4 tickets are past green, the "
        "T4 people on this week's rota get a ready-to-send request to CS and Engineering leadership for an "
        "additional engineer on Wednesday, and the managers are told. Once a week.",
        params=("t4_check_min_tickets",),
        figures=lambda f: [
            _n(f, "t4_checks", "checks this week"),
            _n(f, "t4_drafted", "requests drafted", "followed"),
        ],
    ),
    Rule(
        "escalate-up",
        "escalation",
        "Escalate up with numbered questions",
        "Escalating needs at least one ESCALATED QUESTION; look-alike known issues are offered first; "
        "the requester gets a transition comment when they have not heard from us for a day; the ticket "
        "goes to the engineer of that tier who already answered it. Escalated tickets stay Open.",
        facts=(("Time boxes", "T1 5 + 5 min, T2 15 + 15 min, T3 20 min research"),),
        figures=lambda f: [
            _n(f, "escalated", "escalations this week"),
            _n(f, "escalated_without_comment", "without a transition comment", "followed"),
        ],
    ),
    Rule(
        "escalate-down",
        "escalation",
        "Escalate down with what could have been done better",
        "Sending a ticket back down needs a note for the lower tier; review tags put it on the weekly "
        "review list.",
        params=("review_tags",),
        screen="/escalation/review/",
        figures=lambda f: [
            _n(f, "de_escalated", "de-escalations this week"),
            _n(f, "review_tagged", "tickets tagged for the review", "followed"),
        ],
    ),
    Rule(
        "known-issues",
        "known_issues",
        "Look-alike tickets become a known issue",
        "Open tickets that look alike are grouped; at the first threshold a known-issue tag is "
        "suggested, at the second a status page post. Linked tickets get one broadcast reply when the "
        "issue is resolved.",
        params=("tag_suggestion_tickets", "status_page_tickets"),
        screen="/known-issues/",
        figures=lambda f: [
            _n(f, "known_issue_linked", "tickets linked this week"),
            _n(f, "known_issue_broadcast", "broadcast replies sent"),
        ],
    ),
    Rule(
        "oncall-ack",
        "oncall",
        "On-call acknowledges within the hour",
        "A ticket entering on-call pages the person on call; without an acknowledgement in time the "
        "next person on the schedule is paged, then the next; managers at once when nobody is on call.",
        params=("oncall_ack_minutes", "oncall_next_minutes"),
        screen="/oncall/",
        figures=lambda f: [
            _n(f, "oncall_acknowledged", "acknowledged this week"),
            _n(f, "oncall_paged", "not acknowledged in time: paged on", "followed"),
        ],
    ),
    Rule(
        "oncall-confirm",
        "oncall",
        "In working hours, on-call needs a lead's or T2's confirmation",
        "During the working hours of the default calendar, escalating to on-call needs the confirmation "
        "of a team lead or of someone on T2 today (a lead escalating confirms it themselves); it is "
        "recorded on the escalation. Outside working hours it goes straight through.",
        figures=lambda f: [
            _n(f, "oncall_confirmed", "confirmed escalations in working hours this week"),
            _n(f, "oncall_after_hours", "straight through outside working hours"),
        ],
    ),
    Rule(
        "routing",
        "routing",
        "Business questions go to the right team",
        "Sending to Engagement takes the ticket out of the tier queues and stops the tier's clock; "
        "Product is notified with a **Product** note; Marketing follows or takes the ticket.",
        figures=lambda f: [
            _n(f, "sent_to_engagement", "sent to Engagement this week"),
            _n(f, "product_notified", "Product notified"),
            _n(f, "sent_to_marketing", "sent to Marketing"),
        ],
    ),
    Rule(
        "engagement-reason",
        "routing",
        "Sending to Engagement says why",
        "The send-to-Engagement form asks which situation applies: explained twice, bad news, a "
        "complicated question, a sales opportunity, a prospective client, account closure, an invoice "
        "dispute or a level-3 security issue. The reason goes into the note and is counted.",
        figures=lambda f: _engagement_reasons(f),
    ),
    Rule(
        "routed-stays-open",
        "routing",
        "A ticket sent to another team stays Open",
        "Handing a Pending, Waiting or On-hold ticket to any other team (Engagement, Product, Marketing, "
        "Architecture …) moves it back to Open with a note, which stops its reminders.",
        figures=lambda f: [_n(f, "reopened_for_team", "moved back to Open this week")],
    ),
    Rule(
        "missed-doc",
        "docs",
        "A missed doc is pointed out",
        "De-escalating with “Missed Doc Review” requires the link to the doc that had the answer, so "
        "the weekly review can check it.",
        screen="/escalation/review/",
    ),
    Rule(
        "handover",
        "handover",
        "The weekly handover report",
        "Managers get the week's report at the shift change: tickets still open as they were, breaches, "
        "promises; printable and as CSV.",
        screen="/reports/handover/",
    ),
)


def _engagement_reasons(fig: Figures) -> list[Figure]:
    from escalation.services.routing import ENGAGEMENT_REASONS

    found = [Figure(label, str(fig[f"engagement:{key}"])) for key, label in ENGAGEMENT_REASONS]
    return [f for f in found if f.value != "0"] or [Figure("sent with a reason this week", "0")]


def grouped(fig: Figures) -> list[tuple[str, str, list[tuple[Rule, list[Figure]]]]]:
    """(slug, title, [(rule, its figures)]) per group, in screen order."""
    by_group: dict[str, list[tuple[Rule, list[Figure]]]] = {slug: [] for slug, _ in GROUPS}
    for rule in RULES:
        by_group[rule.group].append((rule, rule.figures(fig)))
    return [(slug, title, by_group[slug]) for slug, title in GROUPS]

"""004 T4: "If there are enough on call issues that T4 is not meeting SLA Green requirements by COB
Tuesday, T4 assignee to email CS and Engineering leadership to request an additional engineer on T4 on
Wed."

After close of business on Tuesday in T4's calendar (the T4 policy's calendar, else the default), the
job counts T4's unfinished tickets past green. At ``t4_check_min_tickets`` or more it drafts the
request for the T4 assignees on this week's rota (an in-app notice with the ready-to-send text) and
tells the managers. A ``playbook.RuleRun`` row per ISO week makes it act exactly once."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from escalation.models import TierAssignment
from helpdesk.permissions import MANAGER
from playbook import params
from playbook.models import RuleRun
from tickets import outbox
from tickets.models import ACTIVE_STATUSES, SlaBand, Ticket, Tier

log = logging.getLogger(__name__)
RULE = "t4_tuesday"
LISTED = 20

DRAFT = (
    "To: CS and Engineering leadership\nSubject: Request for an additional engineer on T4 on Wednesday\n\n"
    "Hello,\n\nT4 is not meeting its SLA green target at close of business this Tuesday: {count} "
    "T4 ticket(s) are past green ({numbers}). Could we have an additional engineer on T4 on Wednesday?\n\n"
    "Thanks,\n{name}"
)
LEADERSHIP = (
    "T4 is not meeting SLA green at close of business Tuesday: {count} ticket(s) past green ({numbers}). "
    "{assignees} has a drafted request for an additional engineer on T4 on Wednesday."
)


def after_cob_tuesday(now: dt.datetime) -> tuple[bool, dt.date]:
    """Whether T4's Tuesday working day is over at ``now`` (and the local date): it is Tuesday in T4's
    calendar and its next working instant is on a later day."""
    from sla.business_time import next_working_instant  # business calendars are the SLA app's
    from sla.calendars import week_for
    from sla.models import SlaPolicy

    policy = SlaPolicy.objects.filter(tier=Tier.T4, priority="").select_related("calendar").first()
    week = week_for(policy.calendar if policy else None)
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(week.tz)
    local = now.astimezone(tz)
    if local.weekday() != 1:
        return False, local.date()
    return next_working_instant(now, week).astimezone(tz).date() > local.date(), local.date()


def run_t4_check(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    due, today = after_cob_tuesday(now)
    if not due:
        return {"checked": 0, "drafted": 0}
    year, week, _ = today.isocalendar()
    period = f"{year}-W{week:02d}"
    if RuleRun.objects.filter(rule=RULE, period=period).exists():
        return {"checked": 0, "drafted": 0}
    late = list(
        Ticket.objects.filter(
            tier=Tier.T4, status__in=ACTIVE_STATUSES, sla_band__in=[SlaBand.YELLOW, SlaBand.RED]
        )
        .order_by("sla_green_until", "id")
        .values_list("number", flat=True)[: LISTED + 1]
    )
    count = Ticket.objects.filter(
        tier=Tier.T4, status__in=ACTIVE_STATUSES, sla_band__in=[SlaBand.YELLOW, SlaBand.RED]
    ).count()
    failing = count >= params.get("t4_check_min_tickets")
    assignees = _t4_assignees(today) if failing else []
    try:
        with transaction.atomic():
            RuleRun.objects.create(
                rule=RULE,
                period=period,
                ran_at=now,
                data={"past_green": count, "drafted": failing, "assignees": [u.pk for u in assignees]},
            )
            if failing:
                _notify(period, count, late[:LISTED], assignees)
    except IntegrityError:  # another worker did it meanwhile
        return {"checked": 0, "drafted": 0}
    return {"checked": 1, "drafted": int(failing)}


def _t4_assignees(day: dt.date) -> list[Any]:
    return [
        a.user
        for a in TierAssignment.objects.filter(tier=Tier.T4, starts_on__lte=day, ends_on__gte=day)
        .select_related("user")
        .order_by("user__username")
    ]


def _notify(period: str, count: int, numbers: list[int], assignees: list[Any]) -> None:
    shown = ", ".join(f"#{n}" for n in numbers) or "none listed"
    for user in assignees:
        text = DRAFT.format(count=count, numbers=shown, name=user.get_full_name() or user.get_username())
        outbox.notify_user(None, user, "t4_additional_engineer", f"{RULE}:{period}:draft:{user.pk}", text)
    names = (
        ", ".join(u.get_full_name() or u.get_username() for u in assignees) or "Nobody (no T4 on the rota)"
    )
    for manager in get_user_model().objects.filter(is_active=True, groups__name=MANAGER).order_by("id"):
        outbox.notify_user(
            None,
            manager,
            "t4_not_green",
            f"{RULE}:{period}:lead:{manager.pk}",
            LEADERSHIP.format(count=count, numbers=shown, assignees=names),
        )

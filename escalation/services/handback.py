"""002: "If you're not working on support the following working day, reassign your tickets back to the
group." From the rota: on the last day of someone's support stint (no tier assignment on the next
working day) they are prompted at ``rota_prompt_hour`` (local time) when they still own unfinished
tickets; ``rota_grace_hours`` later those tickets go back to their tier's queue — or to the colleague
they chose on /oncall/handback/ — each with an internal note. ``playbook.RuleRun`` rows (one prompt and
one hand-back per person and day) make every step happen exactly once however often the job runs."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from escalation.errors import InvalidInput
from escalation.models import TierAssignment
from playbook import params
from playbook.models import RuleRun
from tickets import outbox
from tickets import services as core
from tickets.models import UNFINISHED_STATUSES, Ticket, Tier

log = logging.getLogger(__name__)
PROMPT, HANDBACK = "rota_prompt", "rota_handback"
SUPPORT_TIERS = (Tier.T1, Tier.T2, Tier.T3, Tier.T4, Tier.T5)

PROMPT_TEXT = (
    "Today is your last support day on the rota. At {due} your {count} unfinished ticket(s) go back to "
    "their tier's queue so someone can pick them up. To hand them to a colleague instead, choose them "
    "here: {link}"
)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after ``day`` in the default business calendar."""
    from sla.business_time import next_working_instant  # business calendars are the SLA app's
    from sla.calendars import default_week

    week = default_week()
    start = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    return timezone.localtime(next_working_instant(start, week)).date()


def leaving_today(today: dt.date) -> list[Any]:
    """People whose support stint ends ``today`` and who are not on any tier the next working day."""
    ending = set(
        TierAssignment.objects.filter(
            tier__in=SUPPORT_TIERS, starts_on__lte=today, ends_on=today
        ).values_list("user_id", flat=True)
    )
    if not ending:
        return []
    nxt = next_working_day(today)
    staying = set(
        TierAssignment.objects.filter(user_id__in=ending, starts_on__lte=nxt, ends_on__gte=nxt).values_list(
            "user_id", flat=True
        )
    )
    return list(get_user_model().objects.filter(pk__in=ending - staying).order_by("pk"))


def _owned(user_id: int) -> Any:
    return Ticket.objects.filter(assignee_id=user_id, status__in=UNFINISHED_STATUSES)


def run_handbacks(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    local = timezone.localtime(now)
    counts = {"prompted": 0, "handed_back": 0}
    if local.hour >= params.get("rota_prompt_hour"):
        for user in leaving_today(local.date()):
            counts["prompted"] += _prompt(user, local.date(), now)
    for run in RuleRun.objects.filter(rule=PROMPT, ran_at__gte=now - dt.timedelta(days=3)).order_by("id"):
        if dt.datetime.fromisoformat(run.data["due_at"]) <= now:
            try:
                counts["handed_back"] += _hand_back(run, now)
            except Exception:  # one person's failure must not stop the others; retried on the next run
                log.exception("rota hand-back %s failed", run.period)
    return counts


def _prompt(user: Any, day: dt.date, now: dt.datetime) -> int:
    count = _owned(user.pk).count()
    if not count:
        return 0
    due = now + dt.timedelta(hours=params.get("rota_grace_hours"))
    period = f"{user.pk}:{day.isoformat()}"
    try:
        with transaction.atomic():
            RuleRun.objects.create(rule=PROMPT, period=period, ran_at=now, data={"due_at": due.isoformat()})
            text = PROMPT_TEXT.format(
                due=timezone.localtime(due).strftime("%H:%M"),
                count=count,
                link=reverse("escalation:handback"),
            )
            outbox.notify_user(None, user, "rota_handback_prompt", f"{PROMPT}:{period}", text)
    except IntegrityError:
        return 0  # prompted already
    return 1


def _hand_back(run: RuleRun, now: dt.datetime) -> int:
    user_id = int(run.period.split(":")[0])
    colleague = get_user_model().objects.filter(pk=run.data.get("colleague"), is_active=True).first()
    with transaction.atomic():
        try:
            with transaction.atomic():
                done = RuleRun.objects.create(rule=HANDBACK, period=run.period, ran_at=now, data={})
        except IntegrityError:
            return 0
        moved = []
        for ticket in _owned(user_id).order_by("id"):
            where = (
                f"to {colleague.get_full_name() or colleague.get_username()}"
                if colleague
                else (f"to the {ticket.get_tier_display()} queue")
            )
            locked = core.update_ticket(ticket, None, assignee=colleague)
            core.add_system_note(
                locked, f"Handed back {where}: its owner is not on support the next working day."
            )
            moved.append(ticket.number)
        done.data = {"tickets": moved, "colleague": getattr(colleague, "pk", None)}
        done.save(update_fields=["data"])
    return len(moved)


# --- the person's choice --------------------------------------------------------------------------------


def pending_prompt(user: Any, now: dt.datetime | None = None) -> RuleRun | None:
    """Today's prompt for ``user`` whose hand-back has not happened yet."""
    now = now or timezone.now()
    period = f"{user.pk}:{timezone.localdate(now).isoformat()}"
    if RuleRun.objects.filter(rule=HANDBACK, period=period).exists():
        return None
    return RuleRun.objects.filter(rule=PROMPT, period=period).first()


def choose_colleague(user: Any, colleague: Any | None, now: dt.datetime | None = None) -> RuleRun:
    """Hand the tickets to ``colleague`` (None: back to the tier queues) when the grace period ends."""
    if colleague is not None and (colleague.pk == user.pk or not colleague.is_active):
        raise InvalidInput("Choose an active colleague other than yourself.", field="colleague")
    with transaction.atomic():
        run = pending_prompt(user, now)
        if run is None:
            raise InvalidInput("There is no hand-back waiting for you today.", field="colleague")
        run = RuleRun.objects.select_for_update().get(pk=run.pk)
        run.data = {**run.data, "colleague": getattr(colleague, "pk", None)}
        run.save(update_fields=["data"])
    return run

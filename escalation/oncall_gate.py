"""004 "On-Call": "If it's during work hours, get a verification by your team lead, T2, etc. before
escalating on call." During the working hours of the default business calendar an escalation to
on-call needs the confirmation of a triage lead (or higher) or of someone on the T2 rota today — the
escalating person themselves when they are one — recorded on the escalation; outside working hours it
goes straight through."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from helpdesk.permissions import TRIAGE_LEAD, has_role
from tickets.models import Tier

from .errors import InvalidInput
from .models import TierAssignment


def working_hours(at: dt.datetime) -> bool:
    """Whether ``at`` is within the default business calendar's working hours."""
    from sla.business_time import is_working_time  # the calendars are the SLA app's
    from sla.calendars import default_week

    return is_working_time(at, default_week())


def may_confirm(user: Any, day: dt.date) -> bool:
    """A triage lead or higher, or someone on the T2 rota on ``day``."""
    if user is None:
        return False
    if has_role(user, TRIAGE_LEAD):
        return True
    return TierAssignment.objects.filter(
        user=user, tier=Tier.T2, starts_on__lte=day, ends_on__gte=day
    ).exists()


def confirmation(by: Any, confirmed_by: Any, at: dt.datetime | None = None) -> dict[str, Any]:
    """What the escalation records: ``{"working_hours": bool, "confirmed_by": pk | None}``; InvalidInput
    (field ``confirmed_by``, nothing changed) when a confirmation is needed and missing or not valid."""
    at = at or timezone.now()
    if not working_hours(at):
        return {"working_hours": False, "confirmed_by": getattr(confirmed_by, "pk", None)}
    day = timezone.localdate(at)
    if confirmed_by is None and may_confirm(by, day):
        confirmed_by = by
    if confirmed_by is None:
        raise InvalidInput(
            "During working hours an escalation to on-call needs a team lead's or T2's confirmation: "
            "ask one of them and choose who confirmed it.",
            field="confirmed_by",
        )
    if not may_confirm(confirmed_by, day):
        name = confirmed_by.get_full_name() or confirmed_by.get_username()
        raise InvalidInput(
            f"{name} is neither a team lead nor on T2 today, so cannot confirm an on-call escalation.",
            field="confirmed_by",
        )
    return {"working_hours": True, "confirmed_by": confirmed_by.pk}


def confirmer_choices() -> list[tuple[Any, str]]:
    """(pk, name) of the people who may confirm, memoised for a few seconds per process (display only:
    the service checks the chosen person again)."""
    from django.db import connection

    from helpdesk.localcache import remembered

    key = f"oncall_confirmers:{connection.settings_dict['NAME']}:{timezone.localdate()}"
    return remembered(
        key,
        30,
        lambda: [
            (u.pk, u.get_full_name() or u.get_username())
            for u in confirmers().only("username", "first_name", "last_name")
        ],
    )


def confirmers() -> Any:
    """People who may confirm (for the form): triage leads, managers, admins and today's T2 rota."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    today = timezone.localdate()
    on_t2 = TierAssignment.objects.filter(tier=Tier.T2, starts_on__lte=today, ends_on__gte=today)
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=["Triage lead", "Manager", "Admin"]) | Q(pk__in=on_t2.values("user_id")),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )

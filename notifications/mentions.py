"""``@username`` and ``@team-slug`` in internal notes: who they name, and the staff-name autocomplete."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from helpdesk.permissions import STAFF_ROLES
from tickets.models import Team

MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9][\w.\-]*)")
MAX_MENTIONS = 20


@dataclass
class Mentions:
    users: list[Any] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    team_members: list[Any] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def everyone(self) -> list[Any]:
        seen: dict[int, Any] = {u.pk: u for u in self.users}
        for member in self.team_members:
            seen.setdefault(member.pk, member)
        return list(seen.values())


def names_in(text: str) -> list[str]:
    found: list[str] = []
    for match in MENTION.finditer(text or ""):
        name = match.group(1).rstrip(".-")
        if name and name.lower() not in (n.lower() for n in found):
            found.append(name)
    return found[:MAX_MENTIONS]


def staff_users() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=STAFF_ROLES) | Q(is_superuser=True))
        .distinct()
    )


def resolve(text: str) -> Mentions:
    """Active staff by username (any case) and teams by slug; anything else stays plain text."""
    names = names_in(text)
    result = Mentions()
    if not names:
        return result
    by_name = Q()
    for name in names:
        by_name |= Q(username__iexact=name)
    users = {u.username.lower(): u for u in staff_users().filter(by_name)}
    teams = {t.slug.lower(): t for t in Team.objects.filter(slug__in=[n.lower() for n in names])}
    for name in names:
        low = name.lower()
        if low in users:
            result.users.append(users[low])
        elif low in teams:
            result.teams.append(teams[low])
        else:
            result.unknown.append(name)
    if result.teams:
        result.team_members = list(
            get_user_model().objects.filter(is_active=True, support_teams__in=result.teams).distinct()
        )
    return result


def suggestions(prefix: str, limit: int = 8) -> tuple[list[Any], list[Team]]:
    """Staff whose username or name starts with ``prefix``, and teams whose slug does (autocomplete)."""
    prefix = (prefix or "").lstrip("@").strip()[:50]
    users = staff_users()
    teams = Team.objects.all()
    if prefix:
        users = users.filter(
            Q(username__istartswith=prefix)
            | Q(first_name__istartswith=prefix)
            | Q(last_name__istartswith=prefix)
        )
        teams = teams.filter(Q(slug__istartswith=prefix) | Q(name__istartswith=prefix))
    return (
        list(users.order_by("username").only("id", "username", "first_name", "last_name")[:limit]),
        list(teams.order_by("slug")[:4]),
    )

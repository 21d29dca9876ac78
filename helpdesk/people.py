"""The people of the helpdesk as every screen names and lists them: one display name, one staff list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q

from .permissions import AGENT, roles_at_least

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


def display_name(user: User | None, nobody: str = "") -> str:
    """Full name, else username; ``nobody`` for no user (jobs, the system)."""
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()


def staff_users(minimum: str = AGENT) -> QuerySet[User]:
    """Active people whose role is ``minimum`` or higher (a superuser counts as Admin, as in
    ``permissions.role_of``), ordered by name: one query wherever staff are picked or told."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=roles_at_least(minimum)) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )

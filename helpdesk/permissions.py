"""The one place that decides who may do what (DESIGN §1). Every view and API endpoint goes through it.

Roles are Django groups. Staff roles are ordered: Agent < Triage lead < Manager < Admin, and a higher
role can do everything a lower one can. Requesters are users linked to a ``tickets.Contact``; they see
only their own organization's tickets.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

AGENT = "Agent"
TRIAGE_LEAD = "Triage lead"
MANAGER = "Manager"
ADMIN = "Admin"
STAFF_ROLES = (AGENT, TRIAGE_LEAD, MANAGER, ADMIN)
_RANK = {role: rank for rank, role in enumerate(STAFF_ROLES, start=1)}


ROLE_CACHE_SECONDS = 60  # bounds staleness where the cache is per process (the embedded, Redis-less mode)


def role_cache_key(user_id: int) -> str:

    return f"helpdesk:role:{user_id}"


def role_of(user: Any) -> str | None:
    """The highest staff role of ``user`` (cached on the object), ``"Requester"`` or ``None``.

    Staff roles are also kept in the shared cache for a minute (one query less on every page); changing
    a user's groups or saving the user clears it at once (``forget_role``)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_helpdesk_role", "unset")
    if cached != "unset":
        return cached
    if user.is_superuser:
        role: str | None = ADMIN
    else:
        from django.core.cache import cache

        key = role_cache_key(user.pk)
        role = cache.get(key)
        if role not in _RANK:
            names = set(user.groups.values_list("name", flat=True))
            staff = [r for r in STAFF_ROLES if r in names]
            if staff:
                role = max(staff, key=_RANK.__getitem__)
                cache.set(key, role, ROLE_CACHE_SECONDS)
            elif hasattr(user, "contact"):
                role = "Requester"
            else:
                role = None
    user._helpdesk_role = role
    return role


def forget_role(sender: Any, instance: Any, pk_set: Any = None, **kwargs: Any) -> None:
    """Signal receiver (post_save of a user, m2m_changed of user ↔ groups): drop cached roles."""
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.db import transaction

    if isinstance(instance, Group):  # group.user_set.add(...) or a deleted group: the users it had
        ids = list(pk_set or instance.user_set.values_list("pk", flat=True))
    else:
        ids = [instance.pk]
    keys = [role_cache_key(pk) for pk in ids]
    cache.delete_many(keys)
    # Again once the change is committed: a request between now and the commit may have re-cached the
    # old role from the not-yet-changed rows.
    transaction.on_commit(lambda: cache.delete_many(keys))
    if hasattr(instance, "_helpdesk_role"):
        del instance._helpdesk_role


def has_role(user: Any, minimum: str) -> bool:
    """True when the user's staff role is ``minimum`` or higher."""
    role = role_of(user)
    return role in _RANK and _RANK[role] >= _RANK[minimum]


def roles_at_least(minimum: str) -> list[str]:
    """The staff roles ``minimum`` and above."""
    return [role for role in STAFF_ROLES if _RANK[role] >= _RANK[minimum]]


def is_staff_member(user: Any) -> bool:
    return has_role(user, AGENT)


def visible_tickets(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    """Scope a ticket queryset to what ``user`` may read."""
    from tickets.models import Ticket

    qs = Ticket.objects.all() if queryset is None else queryset
    if is_staff_member(user):
        return qs
    contact = getattr(user, "contact", None) if getattr(user, "is_authenticated", False) else None
    if contact is None:
        return qs.none()
    if contact.organization_id is None:
        return qs.filter(requester=contact)
    return qs.filter(organization_id=contact.organization_id)


def can_view_ticket(user: Any, ticket: Any) -> bool:
    if is_staff_member(user):
        return True
    contact = getattr(user, "contact", None) if getattr(user, "is_authenticated", False) else None
    if contact is None:
        return False
    if contact.organization_id is None:
        return ticket.requester_id == contact.pk
    return ticket.organization_id == contact.organization_id


def role_required(minimum: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: anonymous users go to the login page, signed-in users below ``minimum`` get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, minimum):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(AGENT)


class _RolePermission(BasePermission):
    minimum = AGENT
    message = "Your role does not allow this."

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and has_role(request.user, self.minimum))


class IsStaffMember(_RolePermission):
    minimum = AGENT


class IsTriageLead(_RolePermission):
    minimum = TRIAGE_LEAD


class IsManager(_RolePermission):
    minimum = MANAGER


def can_view_attachment(user: Any, attachment: Any) -> bool:
    """Staff see every attachment; a requester only those of public messages on tickets they may read
    (an internal note's files never reach a requester). A file not yet on a message: its uploader."""
    if not getattr(user, "is_authenticated", False):
        return False
    message = attachment.message
    if message is None:
        return attachment.uploader_id == user.pk or is_staff_member(user)
    if is_staff_member(user):
        return True
    from tickets.models import Visibility

    return message.visibility == Visibility.PUBLIC and can_view_ticket(user, message.ticket)

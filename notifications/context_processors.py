from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from helpdesk.permissions import is_staff_member


def bell(request: HttpRequest) -> dict[str, Any]:
    """``notification_unread``: evaluated only when a template shows the bell (one indexed query)."""
    user = getattr(request, "user", None)

    def count() -> int:
        from .selectors import unread_count

        return unread_count(user) if is_staff_member(user) else 0

    return {"notification_unread": SimpleLazyObject(count)}

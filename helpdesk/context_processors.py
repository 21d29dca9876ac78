from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from . import permissions

# (url name, label, minimum role). Links whose URL is not installed are simply left out.
NAV = [
    ("tickets:queue", "Queues", permissions.AGENT),
    ("triage:queue", "Triage", permissions.TRIAGE_LEAD),
    ("escalation:known_issues", "Known issues", permissions.AGENT),
    ("escalation:rota", "On-call", permissions.AGENT),
    ("reports:dashboard", "Dashboard", permissions.MANAGER),
    ("reports:handover", "Handover", permissions.MANAGER),
    ("sla:policies", "SLA policies", permissions.MANAGER),
]


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    staff = permissions.is_staff_member(user)
    links = []
    if staff:
        for name, label, minimum in NAV:
            if not permissions.has_role(user, minimum):
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            links.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {
        "user_role": permissions.role_of(user),
        "is_staff_member": staff,
        "is_triage_lead": permissions.has_role(user, permissions.TRIAGE_LEAD),
        "is_manager": permissions.has_role(user, permissions.MANAGER),
        "nav_links": links,
    }

from functools import lru_cache
from html import escape
from typing import Any

from django.http import HttpRequest
from django.urls import get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from . import permissions

# (url name, label, minimum role) of the navigation bar.
NAV = [
    ("tickets:queue", "Queues", permissions.AGENT),
    ("triage:queue", "Triage", permissions.TRIAGE_LEAD),
    ("escalation:known_issues", "Known issues", permissions.AGENT),
    ("escalation:rota", "On-call", permissions.AGENT),
    ("knowledge:articles", "Docs", permissions.AGENT),
    ("reports:dashboard", "Dashboard", permissions.MANAGER),
    ("reports:handover", "Handover", permissions.MANAGER),
    ("sla:policies", "SLA policies", permissions.MANAGER),
    ("playbook:playbook", "Playbook", permissions.AGENT),
    ("notifications:product", "Product", permissions.AGENT),
    ("notifications:webhooks", "Chat hooks", permissions.MANAGER),
    ("mail:problems", "Inbound problems", permissions.AGENT),
    ("mail:outgoing", "Outgoing mail", permissions.AGENT),
    ("mail:mailboxes", "Mailboxes", permissions.MANAGER),
    ("partners:settings", "Partner mail", permissions.MANAGER),
]


@lru_cache(maxsize=8)
def _nav_urls(urlconf: str | None) -> tuple[tuple[str, str, str], ...]:
    """(url, label, minimum role) of the NAV links, reversed once per URLconf (not per page)."""
    return tuple((reverse(name, urlconf=urlconf), label, minimum) for name, label, minimum in NAV)


_CURRENT = ' aria-current="page"'


def _nav_html(links: list[dict[str, Any]]) -> SafeString:
    """The side bar's feature links, joined in Python (a template loop cost ~60 node renders a page)."""
    return mark_safe(  # noqa: S308 — every URL and label is escaped here
        "".join(
            f'<a href="{escape(link["url"])}"{_CURRENT if link["active"] else ""}>{escape(link["label"])}</a>'
            for link in links
        )
    )


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = permissions.role_of(user)
    staff = permissions.is_staff_member(user)
    links = []
    if staff:
        for url, label, minimum in _nav_urls(get_urlconf()):
            if permissions.has_role(user, minimum):
                links.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {
        "user_role": role,
        "is_staff_member": staff,
        "is_triage_lead": permissions.has_role(user, permissions.TRIAGE_LEAD),
        "is_manager": permissions.has_role(user, permissions.MANAGER),
        "nav_links": links,
        "nav_html": _nav_html(links),
    }

"""Issue #17 items 3 and 4: axe-core (vendored, tests/e2e/vendor) on every screen, per role, at 1440 px: no
serious or critical WCAG 2.1 A/AA violation; then every screen again at 390 px: no sideways scrolling of
the page (wide data tables scroll inside themselves). The queue and workspace have their own 390/1440 px
checks in test_layout.py."""

import pytest

from escalation.services.known_issues import create_known_issue
from knowledge.services import save_article
from tests.e2e.a11y import violations
from tests.factories import ContactFactory, requester_user
from tickets import services
from tickets.models import Tier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager"),
]

PUBLIC = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/help/",
    "/help/search/?q=calendar",
    "/help/articles/{slug}/",
    "/status/",
]
REQUESTER = ["/", "/requests/new/", "/tickets/{n}/"]
AGENT = [
    "/",
    "/queues/all/",
    "/tickets/{n}/",
    "/queues/t1/",
    "/triage/split/{n}/",
    "/canned/",
    "/canned/new/",
    "/macros/",
    "/macros/new/",
    "/spam/",
    "/known-issues/",
    "/known-issues/{ki}/",
    "/oncall/",
    "/kb/",
    "/kb/{kb}/",
    "/kb/{kb}/history/",
    "/kb/new/",
    "/kb/proposals/",
    "/playbook/",
    "/product/",
    "/notifications/",
    "/notifications/preferences/",
    "/mail/problems/",
    "/mail/outgoing/",
    "/accounts/password/",
    "/no-such-page/",
]
LEAD = ["/triage/", "/triage/backlog/", "/escalation/review/"]
MANAGER = [
    "/dashboard/",
    "/reports/handover/",
    "/sla/policies/",
    "/sla/calendars/",
    "/sla/calendars/new/",
    "/chat-hooks/",
    "/chat-hooks/new/",
    "/kb/measures/",
    "/mail/mailboxes/",
    "/playbook/import/",
    "/partners/settings/",
]


@pytest.fixture
def story(triage_lead, agent, manager):
    contact = ContactFactory(name="Robin Requester", organization__name="Acme Ltd")
    approved = services.update_ticket(
        services.open_ticket(contact, "Calendar sync fails", "It broke."), triage_lead, tier=Tier.T1
    )
    services.add_note(approved, agent, "Checked the logs.")
    services.open_ticket(contact, "A new question waiting for triage", "Hello?")
    issue = create_known_issue(manager, title="Calendar sync outage", short_name="calendar-sync")
    article = save_article(
        manager,
        {
            "title": "Fix calendar sync",
            "body": "Re-connect the calendar.",
            "status": "published",
            "owner": manager,
        },
    )
    return {
        "contact": contact,
        "ticket": approved,
        "ids": {"n": approved.number, "ki": issue.number, "kb": article.pk, "slug": article.slug},
    }


def _sweep(page, base: str, paths: list[str], ids: dict) -> list[str]:
    problems = []
    page.set_viewport_size({"width": 1440, "height": 900})
    for path in paths:
        page.goto(base + path.format(**ids))
        page.wait_for_load_state("domcontentloaded")
        for v in violations(page):
            problems.append(f"{path} {v['impact']} {v['id']}: {v['help']} → {'; '.join(v['nodes'][:3])}")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in paths:
        page.goto(base + path.format(**ids))
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            problems.append(f"{path} is {width}px wide at 390px")
    return problems


def test_public_screens(page, live_server, story):
    assert _sweep(page, live_server.url, PUBLIC, story["ids"]) == []


def test_requester_screens(browser_login, live_server, story):
    page = browser_login(requester_user(story["contact"]), "/")
    assert _sweep(page, live_server.url, REQUESTER, story["ids"]) == []


@pytest.mark.parametrize("role", ["agent", "triage_lead", "manager"])
def test_staff_screens(request, browser_login, live_server, story, role):
    user = request.getfixturevalue(role)
    paths = AGENT + (LEAD if role != "agent" else []) + (MANAGER if role == "manager" else [])
    page = browser_login(user, "/")
    problems = _sweep(page, live_server.url, paths, story["ids"])
    assert problems == [], "\n".join(problems)

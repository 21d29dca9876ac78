"""The bell and the notification centre: unread count, deep links, mark read / all read, constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications import preferences, selectors, services
from tests.factories import UserFactory
from tickets import services as core
from tickets.models import Notification

pytestmark = pytest.mark.django_db


def _fill(ticket, user, n, reason="followed_reply"):
    for i in range(n):
        services.notify([user], reason, ticket, f"update {i}", key=f"fill{reason}{i}")


def test_bell_shows_unread_count_on_every_staff_page(login, agent, ticket):
    _fill(ticket, agent, 3)
    page = login(agent).get(reverse("tickets:queue"), follow=True).content.decode()
    assert 'id="bell"' in page and 'class="bell-count">3<' in page
    bell = login(agent).get(reverse("notifications:bell")).content.decode()
    assert 'class="bell-count">3<' in bell


def test_centre_lists_with_deep_links_and_marks_read(login, agent, ticket):
    _fill(ticket, agent, 2)
    client = login(agent)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "update 0" in page and "update 1" in page
    first = Notification.objects.filter(recipient_user=agent).order_by("id").first()
    response = client.get(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient_user=agent, read_at__isnull=True).exists()


def test_mark_read_htmx_updates_list_and_bell(login, agent, ticket):
    _fill(ticket, agent, 2)
    row = Notification.objects.filter(recipient_user=agent).first()
    body = (
        login(agent)
        .post(reverse("notifications:read", args=[row.pk]), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'hx-swap-oob="true"' in body and 'class="bell-count">1<' in body


def test_cannot_read_someone_elses_notice(login, agent, staff, ticket):
    other = staff("other")
    _fill(ticket, other, 1)
    row = Notification.objects.get(recipient_user=other)
    login(agent).post(reverse("notifications:read", args=[row.pk]))
    row.refresh_from_db()
    assert row.read_at is None


def test_requesters_cannot_open_the_centre(client, ticket):
    from tests.factories import requester_user

    client.force_login(requester_user(ticket.requester))
    assert client.get(reverse("notifications:inbox")).status_code == 403


def test_centre_query_count_constant(login, agent, ticket, django_assert_max_num_queries):
    client = login(agent)
    _fill(ticket, agent, 3)
    client.get(reverse("notifications:inbox"))  # warm the session/role caches
    selectors.forget_counts([agent.pk])  # both measured pages count the bell
    with django_assert_max_num_queries(6) as small:
        client.get(reverse("notifications:inbox"))
    _fill(ticket, agent, 40, reason="mention")
    selectors.forget_counts([agent.pk])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Older notices" in page
    cursor = Notification.objects.filter(recipient_user=agent).order_by("-id")[29].id
    older = client.get(reverse("notifications:inbox") + f"?before={cursor}").content.decode()
    assert older.count('<li class="notice') == 13


def test_preferences_hide_in_app_but_never_sla_red_or_oncall(agent, ticket):
    _fill(ticket, agent, 2, reason="followed_reply")
    _fill(ticket, agent, 1, reason="sla_red")
    _fill(ticket, agent, 1, reason="oncall_new")
    preferences.save(agent, {"followed": "none", "sla": "none", "oncall": "none"})
    assert selectors.unread_count(agent) == 2
    assert preferences.channels_of(agent.pk)["oncall"] == "in_app"  # "nothing" is refused for pages


def test_preferences_screen_saves(login, agent):
    client = login(agent)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "On-call pages" in page and "Pages always reach you" in page
    client.post(
        reverse("notifications:preferences"),
        {
            "mine": "both",
            "followed": "email",
            "mentions": "in_app",
            "sla": "in_app",
            "oncall": "both",
            "triage": "none",
        },
    )
    assert preferences.channels_of(agent.pk)["followed"] == "email"


def test_notify_respects_none(agent, staff, ticket):
    ann = staff("ann")
    preferences.save(ann, {"followed": "none"})
    core.set_following(ticket, ann, True)
    core.add_reply(ticket, agent, "Hello")
    assert not Notification.objects.filter(recipient_user=ann).exists()


def test_the_count_compiled_once_answers_for_each_person(agent, ticket, django_assert_num_queries):
    """The unread count's SQL is compiled once per process (``helpdesk.prepared``) and re-run with each
    person's id: two people, two counts, one query each."""
    other = UserFactory(username="other_agent", role="Agent")
    _fill(ticket, agent, 3)
    services.notify([other], "followed_reply", ticket, "one", key="other1")
    preferences.save(other, {"followed": "none"})
    services.notify([other], "sla_red", ticket, "red", key="other2")
    for user, expected in ((agent, 3), (other, 1), (agent, 3)):
        selectors.forget_counts([user.pk])
        with django_assert_num_queries(1):
            assert selectors.unread_count(user) == expected

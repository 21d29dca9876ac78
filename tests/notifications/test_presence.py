"""Presence in the cache: who else has the ticket open, who is typing, gone after they leave; the
new-message notice; the @mention helper."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications import presence
from tickets import services as core

pytestmark = pytest.mark.django_db


def test_touch_lists_others_and_typing(agent, staff, ticket, monkeypatch):
    ann = staff("ann", first_name="Ann", last_name="Lee")
    assert presence.touch(ticket.pk, agent, typing=False) == []
    assert presence.touch(ticket.pk, ann, typing=True) == [{"name": agent.get_full_name(), "typing": False}]
    assert presence.touch(ticket.pk, agent, typing=False) == [{"name": "Ann Lee", "typing": True}]
    presence.leave(ticket.pk, ann)
    assert presence.touch(ticket.pk, agent, typing=False) == []


def test_entries_expire(agent, staff, ticket, monkeypatch):
    import time

    ann = staff("ann")
    presence.touch(ticket.pk, ann, typing=False)
    later = time.time() + presence.SEEN_FOR + 1
    monkeypatch.setattr(presence.time, "time", lambda: later)
    assert presence.touch(ticket.pk, agent, typing=False) == []


def test_poll_view_shows_others_and_new_messages(login, agent, staff, ticket):
    ann = staff("ann", first_name="Ann", last_name="Lee")
    login(ann).post(reverse("notifications:presence", args=[ticket.number]), {"typing": "1"})
    client = login(agent)
    first = client.post(
        reverse("notifications:presence", args=[ticket.number]), {"since": ""}
    ).content.decode()
    assert "Ann Lee is typing a reply" in first
    since = first.split('data-since="')[1].split('"')[0]
    core.add_note(ticket, ann, "I am answering this one")
    again = client.post(
        reverse("notifications:presence", args=[ticket.number]), {"since": since}
    ).content.decode()
    assert 'id="new-message-notice"' in again and "Ann Lee (internal note)" in again


def test_own_messages_do_not_raise_the_notice(login, agent, ticket):
    client = login(agent)
    first = client.post(
        reverse("notifications:presence", args=[ticket.number]), {"since": ""}
    ).content.decode()
    since = first.split('data-since="')[1].split('"')[0]
    core.add_note(ticket, agent, "my own note")
    again = client.post(
        reverse("notifications:presence", args=[ticket.number]), {"since": since}
    ).content.decode()
    assert "new-message-notice" not in again


def test_requesters_get_no_presence(client, ticket):
    from tests.factories import requester_user

    client.force_login(requester_user(ticket.requester))
    assert client.post(reverse("notifications:presence", args=[ticket.number])).status_code == 403


def test_mention_help_suggests_and_hints(login, agent, staff):
    staff("paula", first_name="Paula")
    staff("gone", is_active=False)
    client = login(agent)
    body = client.get(reverse("notifications:mentions"), {"q": "pau", "text": "hi @pau"}).content.decode()
    assert "@paula" in body
    body = client.get(
        reverse("notifications:mentions"), {"text": "ask @gone and @engagement"}
    ).content.decode()
    assert "@gone" in body and "stays plain text" in body and "@engagement" not in body.split("called")[1]


def test_workspace_shows_presence_and_handoff_panels(login, agent, ticket):
    page = login(agent).get(ticket.get_absolute_url()).content.decode()
    assert 'id="presence"' in page and "page-oncall-now" in page and "tell-account-manager" in page

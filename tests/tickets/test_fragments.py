"""The workspace's fragment cache (issue #20 §1): a hit is what a fresh render would show."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from attachments.services import attach_uploads
from escalation.services.known_issues import create_known_issue, link_ticket
from tests.factories import UserFactory
from tickets import fragments, services

pytestmark = pytest.mark.django_db


def page(client, ticket) -> str:
    return client.get(f"/tickets/{ticket.number}/").content.decode()


def test_a_file_added_to_a_message_shows_on_the_next_view(login, agent, ticket):
    """The attachment row changes without touching the ticket: its generation moves on."""
    c = login(agent)
    assert "invoice.txt" not in page(c, ticket)
    attach_uploads(ticket.messages.first(), [SimpleUploadedFile("invoice.txt", b"total 12")], uploader=agent)
    assert "invoice.txt" in page(c, ticket)


def test_a_known_issue_link_shows_on_the_next_view(login, agent, ticket):
    c = login(agent)
    ki = create_known_issue(agent, title="Calendar sync broken", short_name="calsync")
    before = page(c, ticket)
    link_ticket(ticket, ki, agent)
    after = page(c, ticket)
    assert "Calendar sync broken" in after and after != before


def test_followers_show_at_once(login, agent, ticket):
    c = login(agent)
    other = UserFactory(username="sam", first_name="Sam", last_name="Lee", role="Agent")
    assert "Sam Lee" not in page(c, ticket).split('id="prop-followers"')[1].split("</section>")[0]
    ticket.followers.add(other)
    assert "Sam Lee" in page(c, ticket).split('id="prop-followers"')[1].split("</section>")[0]


def test_panels_are_kept_per_person_and_per_minute_the_conversation_for_all_staff(agent, ticket):
    other = UserFactory(username="kim", role="Agent")
    now = timezone.now()
    mine = fragments.Fragments(ticket, agent, now, ["escalation/panels/timebox.html"])
    theirs = fragments.Fragments(ticket, other, now, ["escalation/panels/timebox.html"])
    later = fragments.Fragments(
        ticket, agent, now + dt.timedelta(minutes=1), ["escalation/panels/timebox.html"]
    )
    panel = "escalation/panels/timebox.html"
    assert len({mine.keys[panel], theirs.keys[panel], later.keys[panel]}) == 3
    assert mine.keys["conversation"] == theirs.keys["conversation"] == later.keys["conversation"]
    ticket.version += 1  # a status change: the conversation is kept, the history is not
    assert fragments.Fragments(ticket, agent, now, []).keys["conversation"] == mine.keys["conversation"]
    assert fragments.Fragments(ticket, agent, now, []).keys["history"] != mine.keys["history"]
    fragments.messages_written([ticket.pk])
    assert fragments.Fragments(ticket, agent, now, []).keys["conversation"] != mine.keys["conversation"]


def test_cached_forms_carry_the_viewers_own_csrf_token(agent, ticket):
    c = Client(enforce_csrf_checks=True)
    c.force_login(agent)
    page(c, ticket)
    warm = page(c, ticket)  # served from the fragments
    assert fragments.CSRF_PLACEHOLDER not in warm
    panels = warm.split('id="ws-sidebar"')[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', panels.split("</details>", 2)[-1])
    assert token, "a panel form in the cached part"
    r = c.post(f"/tickets/{ticket.number}/follow/", {"follow": "1", "csrfmiddlewaretoken": token.group(1)})
    assert r.status_code == 302
    assert ticket.followers.filter(pk=agent.pk).exists()


def test_without_a_cache_the_page_renders_as_before(login, agent, ticket):
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        c = login(agent)
        first, again = page(c, ticket), page(c, ticket)
    assert (
        "My calendar stopped syncing yesterday." in first
        and "My calendar stopped syncing yesterday." in again
    )
    assert fragments.CSRF_PLACEHOLDER not in again


def test_a_page_with_bound_forms_is_never_cached(rf, agent, ticket):
    """Errors of a bound form must show: ``_context`` with overrides has no fragment cache."""
    from tickets.views.workspace_context import workspace_context as _context

    request = rf.get("/")
    request.user = agent
    request.htmx = False
    assert _context(request, ticket)["fragments"] is not None
    assert _context(request, ticket, reply_form=object())["fragments"] is None


def test_the_embedded_file_cache_keeps_no_fragments(rf, login, agent, ticket):
    from tickets.views.workspace_context import workspace_context as _context

    request = rf.get("/")
    request.user = agent
    with override_settings(WORKSPACE_FRAGMENTS=False):
        assert _context(request, ticket)["fragments"] is None
        assert "My calendar stopped syncing yesterday." in page(login(agent), ticket)


def test_a_new_known_issue_is_offered_at_once(login, agent, ticket):
    """Shared rows (no one ticket's) give every panel a new shared generation."""
    c = login(agent)
    assert "Printer outage" not in page(c, ticket)
    create_known_issue(agent, title="Printer outage", short_name="printers")
    assert "Printer outage" in page(c, ticket)


def test_the_requesters_new_ticket_shows_in_their_card_at_once(login, agent, ticket):
    c = login(agent)
    assert "Second problem" not in page(c, ticket)
    services.open_ticket(ticket.requester, "Second problem", "Another thing broke.")
    assert "Second problem" in page(c, ticket).split('id="requester-card"')[1]


def test_another_tickets_event_keeps_steady_panels_and_retires_the_others(agent, ticket):
    """A busy helpdesk: a change elsewhere retires only the panels that show other tickets or time."""
    now = timezone.now()
    steady, live = "escalation/panels/known_issue.html", "tickets/panels/merge_spam.html"

    def keys():
        return fragments.Fragments(ticket, agent, now, [steady, live], steady=[steady]).keys

    before = keys()
    services.open_ticket(ticket.requester, "Elsewhere", "Another ticket's event.")
    after = keys()
    assert after[steady] == before[steady] and after[live] != before[live]
    assert after["conversation"] == before["conversation"]
    create_known_issue(agent, title="Shared row", short_name="shared")
    assert keys()[steady] != after[steady]  # a shared row retires the steady ones too


HANDOFFS = "notifications/panels/handoffs.html"


def _handoffs_html(html: str) -> str:
    return html.split('aria-label="Tell someone"')[1].split("</section>")[0]


def test_a_reply_keeps_the_panels_keyed_on_what_they_read_with_the_new_version(login, agent, ticket):
    """``Panel.reads``: a reply bumps the version, not the fields the panel shows: its fragment is served
    as it was (the marker below), with the ticket's new version in its forms."""
    from django.core.cache import cache

    c = login(agent)
    page(c, ticket)
    now = timezone.now()
    key = fragments.Fragments(ticket, agent, now, [HANDOFFS], [HANDOFFS], {HANDOFFS: ()}).keys[HANDOFFS]
    stored = cache.get(key)
    assert fragments.VERSION_PLACEHOLDER in stored and f'value="{ticket.version}"' not in stored
    cache.set(key, stored.replace("Tell someone</h3>", "Tell someone</h3><i>kept</i>"), fragments.TTL)
    services.send_reply(ticket, agent, "We are looking into it.", internal=True)
    ticket.refresh_from_db()
    html = _handoffs_html(page(c, ticket))
    assert "<i>kept</i>" in html
    assert html.count(f'name="version" value="{ticket.version}"') == 2
    assert fragments.VERSION_PLACEHOLDER not in html


def test_a_change_of_a_field_a_panel_reads_retires_it(agent, ticket):
    now = timezone.now()
    routing, docs = "escalation/panels/routing.html", "knowledge/panels/suggested_docs.html"

    def keys():
        return fragments.Fragments(
            ticket, agent, now, [routing, docs], steady=[routing, docs], reads={routing: ("kind",)}
        ).keys

    before = keys()
    ticket.version += 1  # a reply, a status change: the panel keyed on the version only
    after = keys()
    assert after[routing] == before[routing] and after[docs] != before[docs]
    ticket.kind = "bug" if ticket.kind != "bug" else "question"
    assert keys()[routing] != after[routing]


def test_a_timed_panel_keyed_on_what_it_reads_is_kept_for_the_minute(agent, ticket):
    """Not steady, with ``reads``: kept across this ticket's reply and other requesters' events, for the
    minute; its requester's other tickets retire it (it shows them)."""
    from tests.factories import ContactFactory

    now = timezone.now()
    duplicates = "tickets/panels/merge_spam.html"
    stranger = ContactFactory(email="stranger@elsewhere.example")

    def key(at):
        return fragments.Fragments(ticket, agent, at, [duplicates], reads={duplicates: ("subject",)}).keys[
            duplicates
        ]

    before = key(now)
    ticket.version += 1
    services.open_ticket(stranger, "Elsewhere", "Another requester's ticket.")
    assert key(now) == before  # neither this ticket's version nor another requester's event
    assert key(now + dt.timedelta(minutes=1)) != before
    services.open_ticket(ticket.requester, "Again", "The same requester's new ticket.")
    assert key(now) != before


def _properties_html(html: str) -> str:
    return html.split('data-section="properties"')[1].split("</details>")[0]


def test_the_properties_are_kept_across_a_reply_and_retired_by_a_status_change(login, agent, ticket):
    """Properties are keyed on the owner, tier, status and priority, not the version or the minute."""
    from django.core.cache import cache

    c = login(agent)
    page(c, ticket)
    from tickets.views.workspace_context import _staff_offered

    reads = {"properties": (*fragments.PROPERTY_READS, _staff_offered)}
    key = fragments.Fragments(ticket, agent, timezone.now(), ["properties"], ["properties"], reads).keys
    stored = cache.get(key["properties"]).replace("<summary>Properties", "<summary><i>kept</i>Properties")
    cache.set(key["properties"], stored, 600)
    services.send_reply(ticket, agent, "We are looking into it.", internal=True)
    ticket.refresh_from_db()
    html = _properties_html(page(c, ticket))
    assert "<i>kept</i>" in html and fragments.VERSION_PLACEHOLDER not in html
    assert f'name="version" value="{ticket.version}"' in html
    services.change_status(ticket, "pending", by=agent, expected_version=ticket.version)
    html = _properties_html(page(c, ticket))
    assert "<i>kept</i>" not in html
    assert re.search(r'<option value="pending" selected>', html)


def test_escalate_up_is_keyed_on_the_transition_comment_rule_not_the_minute(agent, ticket):
    """The panel's only dependence on time is whether a transition comment is due (and today's rota)."""
    from escalation.panels import escalate_up_rules

    up = "escalation/panels/escalate_up.html"
    reads = {up: ("tier", escalate_up_rules)}
    ticket.tier, ticket.last_requester_reply_at = "t3", None
    ticket.last_public_reply_at = timezone.now().replace(hour=1, minute=0)

    def key(at):
        return fragments.Fragments(ticket, agent, at, [up], steady=[up], reads=reads).keys[up]

    now = ticket.last_public_reply_at + dt.timedelta(hours=1)
    before = key(now)
    services.open_ticket(ticket.requester, "Elsewhere", "Another ticket's event.")
    assert key(now + dt.timedelta(minutes=5)) == before  # another minute, another ticket's event
    assert key(now + dt.timedelta(hours=23, minutes=1)) != before  # a day without news: now it is due


LINKS = "tickets/panels/links.html"


def _links_html(html: str) -> str:
    return html.split('id="ws-links"')[1].split("</section>")[0]


def test_the_links_panel_of_a_ticket_without_links_outlives_other_tickets_changes(login, agent, ticket):
    """``Panel.alone``: without links the panel shows no other ticket, so it is kept on the ticket's own
    rows; a new link retires them, and a linked ticket's status change shows at once."""
    from django.core.cache import cache

    from tickets.services import links as link_services

    c = login(agent)
    page(c, ticket)
    now = timezone.now()
    key = fragments.Fragments(ticket, agent, now, [LINKS], alone=[LINKS]).keys[f"{LINKS}{fragments.ALONE}"]
    cache.set(key, cache.get(key).replace("<h3>Linked tickets", "<h3><i>kept</i>Linked tickets"), 600)
    other = services.open_ticket(ticket.requester, "Elsewhere", "Another ticket's event.")
    assert "<i>kept</i>" in _links_html(page(c, ticket))  # another ticket's event keeps it
    link_services.link_tickets(ticket, agent, other, "related")
    html = _links_html(page(c, ticket))
    assert "<i>kept</i>" not in html and f"#{other.number}" in html
    other.refresh_from_db()
    services.change_status(other, "pending", by=agent, expected_version=other.version)
    assert "Pending" in _links_html(page(c, ticket))


@pytest.mark.parametrize("count", [3, fragments.SET_AT_MOST + 25])
def test_every_ticket_of_a_batch_gets_a_new_history_generation(count):
    """A person's change sets new tokens; a sweep's chunk deletes them (one command): either way, each
    ticket's next view reads a generation it never read before."""
    keys = [fragments._events_key(pk) for pk in range(1, count + 1)]
    before = fragments._generations(*keys)
    fragments.events_written(range(1, count + 1))
    after = fragments._generations(*keys)
    assert all(old != new for old, new in zip(before, after, strict=True))


def test_panels_showing_other_tickets_follow_only_their_requester_and_organization(agent, ticket):
    """The requester card and likely duplicates are retired by events of the same requester's or
    organization's tickets, not by everyone's; the linked tickets (anyone's) by every event."""
    from tests.factories import ContactFactory

    now = timezone.now()
    names = ["requester", "tickets/panels/merge_spam.html", LINKS]

    def keys():
        return fragments.Fragments(ticket, agent, now, names, any_ticket=[LINKS]).keys

    stranger = ContactFactory(email="someone@elsewhere.example")  # a new person: a shared row
    before = keys()
    services.open_ticket(stranger, "Unrelated", "Another requester's ticket.")
    after = keys()
    assert after["requester"] == before["requester"]
    assert after["tickets/panels/merge_spam.html"] == before["tickets/panels/merge_spam.html"]
    assert after[LINKS] != before[LINKS]
    services.open_ticket(ticket.requester, "Mine again", "The same requester writes again.")
    assert keys()["requester"] != after["requester"]


def test_a_staff_reply_keeps_the_other_tickets_requester_cards(agent, ticket):
    """A reply or a note changes nothing another ticket's card or duplicates show of this one."""
    now = timezone.now()
    other = services.open_ticket(ticket.requester, "Second request", "Same person.")

    def key():
        return fragments.Fragments(other, agent, now, ["requester"]).keys["requester"]

    before = key()
    services.send_reply(ticket, agent, "We are on it.", internal=True)
    assert key() == before
    ticket.refresh_from_db()
    services.change_status(ticket, "pending", by=agent, expected_version=ticket.version)
    assert key() != before  # its status shows in the other ticket's card


def test_the_duplicates_panel_is_kept_across_the_tickets_own_note_with_the_new_version(login, agent, ticket):
    from django.core.cache import cache

    duplicates = "tickets/panels/merge_spam.html"
    c = login(agent)
    page(c, ticket)
    reads = {duplicates: ("subject", "requester_id", "organization_id", "merged_into_id", "spam_at")}
    key = fragments.Fragments(ticket, agent, timezone.now(), [duplicates], reads=reads).keys[duplicates]
    stored = cache.get(key)
    assert stored is not None and fragments.VERSION_PLACEHOLDER in stored
    cache.set(key, stored.replace("<h2>Duplicates and spam", "<h2><i>kept</i>Duplicates and spam"), 600)
    services.send_reply(ticket, agent, "Checking the logs.", internal=True)
    ticket.refresh_from_db()
    html = page(c, ticket).split('id="merge-spam"')[1].split("</section>")[0]
    assert "<i>kept</i>" in html
    assert html.count(f'name="version" value="{ticket.version}"') == 2


def test_a_new_member_of_staff_is_offered_in_kept_properties(login, agent, ticket):
    """The properties are keyed on the staff list they offer, which is cached for a minute: a page rendered
    while the list was still the old one is not kept once the list has the new agent."""
    from django.core.cache import cache

    from helpdesk import localcache
    from tickets import selectors

    c = login(agent)
    page(c, ticket)  # the staff list is cached now
    UserFactory(username="nell", first_name="Newcomer", last_name="Nell", role="Agent")
    assert "Newcomer Nell" not in _properties_html(page(c, ticket))  # rendered from the cached list
    cache.delete(selectors.filter_choices_key())  # the minute is over
    localcache.forget(selectors.filter_choices_key())
    assert "Newcomer Nell" in _properties_html(page(c, ticket))


def _shipped(template: str) -> tuple[list[str], dict]:
    """The steady list and reads of one panel as ``helpdesk/workspace.py`` ships it."""
    from helpdesk.workspace import WORKSPACE

    panel = next(p for p in WORKSPACE.panels if p.template == template)
    return ([template] if panel.steady else []), {template: panel.reads}


def test_the_time_box_is_kept_across_a_reply_and_retired_by_the_minute_or_the_tier(agent, ticket):
    """The time box shows the elapsed minutes on a boxed tier: keyed on the minute there (not on the
    version a reply changes); on a tier without a box it does not change with time at all."""
    box = "escalation/panels/timebox.html"
    steady, reads = _shipped(box)
    ticket.tier, ticket.assignee = "t1", agent

    def key(at):
        return fragments.Fragments(ticket, agent, at, [box], steady=steady, reads=reads).keys[box]

    now = timezone.now().replace(second=5)
    before = key(now)
    ticket.version += 1  # a reply
    assert key(now + dt.timedelta(seconds=30)) == before
    assert key(now + dt.timedelta(minutes=1)) != before
    ticket.tier = "t4"  # no time box: nothing of the time shows
    t4 = key(now)
    assert t4 != before and key(now + dt.timedelta(hours=2)) == t4


def test_the_on_call_panel_is_kept_for_the_minute_on_an_on_call_ticket(agent, ticket):
    ack = "escalation/panels/oncall_ack.html"
    steady, reads = _shipped(ack)

    def key(at):
        return fragments.Fragments(ticket, agent, at, [ack], steady=steady, reads=reads).keys[ack]

    now = timezone.now()
    ticket.tier = "t2"
    assert key(now) == key(now + dt.timedelta(hours=1))  # empty off on-call: kept
    ticket.tier = "oncall"
    now = now.replace(second=1)
    assert key(now) == key(now + dt.timedelta(seconds=30))  # the page's age, to the minute
    assert key(now) != key(now + dt.timedelta(minutes=1))


def test_a_reply_keeps_the_time_box_of_the_owner(login, agent, ticket):
    """End to end, within one minute: the owner's time box is not rendered again after a reply (a marker
    put into its cached fragment survives), while the conversation shows the reply."""
    import time_machine
    from django.core.cache import cache

    box = "escalation/panels/timebox.html"
    ticket.tier, ticket.assignee = "t1", agent
    ticket.save(update_fields=["tier", "assignee"])
    ticket.refresh_from_db()
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        c = login(agent)
        assert "Time box" in page(c, ticket)
        key = fragments.Fragments(ticket, agent, timezone.now(), [box], *_shipped(box)).keys[box]
        cache.set(key, cache.get(key).replace("Time box", "Time box KEPT"), fragments.TTL)
        services.send_reply(ticket, agent, "Kept box reply")
        after = page(c, ticket)
    assert "Kept box reply" in after and "Time box KEPT" in after


def test_conversation_items_are_kept_for_the_hour(agent, ticket, settings):
    """An item is keyed on a digest of what it shows: never stale, so kept longer than the panels."""
    from unittest import mock

    from tickets.templatetags import message_format

    settings.WORKSPACE_FRAGMENTS = True
    with mock.patch.object(message_format.cache, "set_many") as stored:
        message_format.conversation_items(ticket.messages.all())
    assert stored.call_args.args[1] == fragments.MESSAGE_TTL > fragments.TTL


@pytest.mark.parametrize("with_reads", [False, True])
def test_the_requester_card_outlives_a_colleagues_new_ticket(agent, ticket, with_reads):
    """The card lists the requester's own other tickets only: a colleague's new ticket in the same
    organization retires the likely duplicates (they include the organization's) but not the card."""
    from tests.factories import ContactFactory

    now = timezone.now()
    duplicates = "tickets/panels/merge_spam.html"
    reads = {"requester": fragments.REQUESTER_READS, duplicates: ("subject",)} if with_reads else None

    def keys():
        return fragments.Fragments(ticket, agent, now, ["requester", duplicates], reads=reads).keys

    colleague = ContactFactory(email="colleague@client.example", organization=ticket.requester.organization)
    before = keys()
    services.open_ticket(colleague, "Cannot sync calendar either", "Same here.")
    after = keys()
    assert after["requester"] == before["requester"]
    assert after[duplicates] != before[duplicates]

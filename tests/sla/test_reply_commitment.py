"""A public reply can carry "next update by …" (issue #5 §6): the reply form's extension made by the SLA
app, applied in the reply's own transaction — a bad choice stores neither the reply nor the promise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tickets.models import Message, TicketEvent

pytestmark = pytest.mark.usefixtures("celery_eager")  # the tasks queued on commit run


@pytest.fixture
def owned(db, contact, agent):
    from tickets import services

    ticket = services.open_ticket(contact, "Sync broken", "Calendar sync stopped.")
    ticket = services.update_ticket(ticket, None, tier="t1")  # past triage (issue #15 item 14)
    return services.take(ticket, agent)


def _post(client, ticket, **extra):
    data = {"body": "Looking into it now.", "visibility": "public", "version": ticket.version, **extra}
    return client.post(reverse("tickets:reply", args=[ticket.number]), data)


def test_reply_form_offers_the_quick_picks(owned, agent, login):
    html = login(agent).get(owned.get_absolute_url()).content.decode()
    assert 'name="next_update"' in html and " 10:00 (" in html and "No promise" in html  # next working day


def test_public_reply_with_next_update_sets_the_commitment(owned, agent, login):
    due = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
    response = _post(login(agent), owned, next_update=due.isoformat())
    assert response.status_code == 302
    owned.refresh_from_db()
    assert owned.commitment_due_at == due
    assert Message.objects.filter(ticket=owned, body="Looking into it now.").count() == 1
    assert TicketEvent.objects.filter(ticket=owned, verb="commitment_set").count() == 1


def test_reply_without_a_choice_promises_nothing(owned, agent, login):
    assert _post(login(agent), owned, next_update="").status_code == 302
    owned.refresh_from_db()
    assert owned.commitment_due_at is None


@pytest.mark.parametrize(
    "extra, text",
    [
        ({"visibility": "internal", "next_update": "2099-01-01T10:00:00+00:00"}, "goes with a public reply"),
        ({"next_update": "next tuesday"}, "not a time"),
        ({"next_update": "2020-01-01T10:00:00+00:00"}, "in the future"),
    ],
)
def test_bad_next_update_keeps_the_text_and_stores_nothing(owned, agent, login, extra, text):
    response = _post(login(agent), owned, **extra)
    assert response.status_code == 400
    html = response.content.decode()
    assert text in html and "Looking into it now." in html
    owned.refresh_from_db()
    assert owned.commitment_due_at is None
    assert not Message.objects.filter(ticket=owned, body="Looking into it now.").exists()


@pytest.mark.e2e
def test_agent_promises_the_next_update_with_the_reply(browser_login, live_server, agent, owned):
    page = browser_login(agent, f"/tickets/{owned.number}/")
    page.fill("#id_body", "We found the cause; a fix is being tested.")
    page.select_option("#id_next_update", index=2)  # No promise, End of day, Tomorrow 10:00, …
    page.click("#send")
    expect(page.locator("#sla-commitment-panel")).to_contain_text("Promised by")
    owned.refresh_from_db()
    assert timezone.localtime(owned.commitment_due_at).hour == 10


@pytest.mark.e2e
def test_the_promise_is_reset_after_the_reply_so_a_note_can_follow(browser_login, live_server, agent, owned):
    """Issue #15 item 10: after a public reply with "Next update by", the form starts afresh — the promise
    is not selected any more, so the internal note that follows is not refused."""
    page = browser_login(agent, f"/tickets/{owned.number}/")
    page.fill("#id_body", "A fix is being tested.")
    page.select_option("#id_next_update", index=2)
    page.click("#send")
    expect(page.locator("#sla-commitment-panel")).to_contain_text("Promised by")
    expect(page.locator("#id_next_update")).to_have_value("")
    page.check("input[name=visibility][value=internal]")
    page.fill("#id_body", "Asked the dev team for an ETA.")
    page.click("#send")
    expect(page.locator(".conversation, #conversation").first).to_contain_text(
        "Asked the dev team for an ETA."
    )
    assert Message.objects.filter(ticket=owned, body="Asked the dev team for an ETA.").exists()


def test_a_sent_reply_leaves_no_promise_selected(owned, agent, login):
    import re

    client = login(agent)
    page = client.get(owned.get_absolute_url()).content.decode()
    pick = re.findall(r'<option value="([^"]+)">', page.split('id="id_next_update"')[1])[1]
    data = {"body": "On it.", "visibility": "public", "version": owned.version, "next_update": pick}
    html = client.post(reverse("tickets:reply", args=[owned.number]), data, HTTP_HX_REQUEST="true")
    assert html.status_code == 200
    select = html.content.decode().split('id="id_next_update"')[1].split("</select>")[0]
    assert pick in select and " selected" not in select

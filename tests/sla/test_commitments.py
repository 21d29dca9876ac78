"""Commitments (000): validation, reminded once, flagged once, settled by a public reply; the form."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from sla.commitments import check_commitments, set_commitment
from tickets import services
from tickets.errors import InvalidInput
from tickets.models import Notification, Status, Ticket, TicketEvent

from .conftest import LONDON, local

pytestmark = pytest.mark.django_db


def _at(*args: int):
    return time_machine.travel(local(LONDON, *args), tick=False)


def _check(*args: int) -> dict[str, int]:
    with _at(*args):
        return check_commitments()


@pytest.fixture
def owned(london, contact, agent):
    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Sync", "Broken")
        services.take(ticket, agent)
    return ticket


@pytest.mark.parametrize(
    "due, message",
    [
        (local(LONDON, 2026, 3, 23, 9, 0), "in the future"),
        (local(LONDON, 2026, 3, 22, 9, 0), "in the future"),
        (local(LONDON, 2026, 9, 1, 9, 0), "60 days"),
        (dt.datetime(2026, 3, 24, 9, 0), "time zone"),  # noqa: DTZ001 (naive on purpose)
        ("tomorrow", "date and time"),
    ],
)
def test_bad_commitments_are_refused_and_change_nothing(owned, agent, due, message):
    with _at(2026, 3, 23, 10, 0), pytest.raises(InvalidInput, match=message):
        set_commitment(owned, agent, due)
    fresh = Ticket.objects.get(pk=owned.pk)
    assert fresh.commitment_due_at is None
    assert not TicketEvent.objects.filter(ticket=owned, verb="commitment_set").exists()


def test_commitment_on_a_resolved_ticket_is_refused(owned, agent):
    with _at(2026, 3, 23, 10, 0):
        services.change_status(owned, Status.RESOLVED, by=agent)
        with pytest.raises(InvalidInput, match="Resolved"):
            set_commitment(owned, agent, local(LONDON, 2026, 3, 23, 15))


def test_reminded_once_then_flagged_missed_once_then_settled_by_a_reply(owned, agent):
    with _at(2026, 3, 23, 10, 0):
        set_commitment(owned, agent, local(LONDON, 2026, 3, 23, 15, 0))
    assert _check(2026, 3, 23, 13, 59) == {"reminded": 0, "missed": 0}
    assert _check(2026, 3, 23, 14, 0) == {"reminded": 1, "missed": 0}
    assert _check(2026, 3, 23, 14, 30) == {"reminded": 0, "missed": 0}
    assert _check(2026, 3, 23, 15, 0) == {"reminded": 0, "missed": 1}
    assert _check(2026, 3, 23, 15, 1) == {"reminded": 0, "missed": 0}
    t = Ticket.objects.get(pk=owned.pk)
    assert t.commitment_missed and t.commitment_due_at == local(LONDON, 2026, 3, 23, 15)
    assert list(
        Notification.objects.filter(reason__startswith="commitment")
        .order_by("id")
        .values_list("reason", "recipient_user")
    ) == [("commitment_reminder", agent.pk), ("commitment_missed", agent.pk)]
    assert TicketEvent.objects.filter(ticket=owned, verb="commitment_missed").count() == 1

    with _at(2026, 3, 23, 15, 30):
        services.add_reply(owned, agent, "Sorry for the delay — here is where we are.")
    t = Ticket.objects.get(pk=owned.pk)
    assert (t.commitment_due_at, t.commitment_missed) == (None, False)
    settled = TicketEvent.objects.get(ticket=owned, verb="commitment_settled")
    assert settled.data["on_time"] is False


def test_a_reply_in_time_settles_it_and_nothing_fires_later(owned, agent):
    with _at(2026, 3, 23, 10, 0):
        set_commitment(owned, agent, local(LONDON, 2026, 3, 23, 15, 0))
    with _at(2026, 3, 23, 11, 0):
        services.add_reply(owned, agent, "Update: found it.")
    assert TicketEvent.objects.get(ticket=owned, verb="commitment_settled").data["on_time"] is True
    assert _check(2026, 3, 23, 16, 0) == {"reminded": 0, "missed": 0}
    assert not Notification.objects.filter(reason__startswith="commitment").exists()


def test_unowned_ticket_reminds_whoever_made_the_promise(london, contact, agent):
    with _at(2026, 3, 23, 9, 0):
        ticket = services.open_ticket(contact, "Sync", "Broken")
        set_commitment(ticket, agent, local(LONDON, 2026, 3, 23, 9, 30))
    assert _check(2026, 3, 23, 9, 31) == {"reminded": 0, "missed": 1}
    assert Notification.objects.get(reason="commitment_missed").recipient_user_id == agent.pk


# --- the form -------------------------------------------------------------------------------------


def test_form_page_and_partial(owned, agent, login, django_assert_max_num_queries):
    client = login(agent)
    with _at(2026, 3, 23, 10, 0):
        page = client.get(f"/sla/tickets/{owned.number}/commitment/")
        assert page.status_code == 200 and b"Tomorrow 10:00" in page.content and b"<html" in page.content
        with django_assert_max_num_queries(12):
            partial = client.get(f"/sla/tickets/{owned.number}/commitment/", HTTP_HX_REQUEST="true")
        assert b"<html" not in partial.content and b"In 2 business days" in partial.content


def test_form_quick_pick_and_typed_time(owned, agent, login):
    client = login(agent)
    with _at(2026, 3, 23, 10, 0):
        pick = local(LONDON, 2026, 3, 24, 10).isoformat()
        response = client.post(f"/sla/tickets/{owned.number}/commitment/", {"pick": pick})
        assert response.status_code == 302
        assert Ticket.objects.get(pk=owned.pk).commitment_due_at == local(LONDON, 2026, 3, 24, 10)
        response = client.post(
            f"/sla/tickets/{owned.number}/commitment/", {"due_at": "2026-03-23T16:30"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200 and b"Commitment saved" in response.content
    # settings.TIME_ZONE is the current time zone of the form
    from django.utils import timezone

    expected = dt.datetime(2026, 3, 23, 16, 30, tzinfo=timezone.get_current_timezone())
    assert Ticket.objects.get(pk=owned.pk).commitment_due_at == expected


def test_form_refuses_the_past_and_keeps_the_old_promise(owned, agent, login):
    client = login(agent)
    with _at(2026, 3, 23, 10, 0):
        set_commitment(owned, agent, local(LONDON, 2026, 3, 23, 15))
        response = client.post(f"/sla/tickets/{owned.number}/commitment/", {"due_at": "2020-01-01T10:00"})
        assert response.status_code == 400 and b"in the future" in response.content
        response = client.post(f"/sla/tickets/{owned.number}/commitment/", {})
        assert response.status_code == 400 and b"Choose when" in response.content
        response = client.post(f"/sla/tickets/{owned.number}/commitment/", {"pick": "soon"})
        assert response.status_code == 400 and b"not a time" in response.content
    assert Ticket.objects.get(pk=owned.pk).commitment_due_at == local(LONDON, 2026, 3, 23, 15)


def test_requesters_and_strangers_cannot_use_it(owned, login, client):
    from tests.factories import requester_user

    assert client.get(f"/sla/tickets/{owned.number}/commitment/").status_code == 302  # to login
    customer = requester_user(owned.requester)
    assert login(customer).get(f"/sla/tickets/{owned.number}/commitment/").status_code == 403
    assert login(customer).post(f"/sla/tickets/{owned.number}/holding-reply/").status_code == 403


def test_after_a_missed_promise_a_new_date_needs_a_reply_and_is_then_tracked(owned, agent):
    with _at(2026, 3, 23, 10, 0):
        set_commitment(owned, agent, local(LONDON, 2026, 3, 23, 12))
    _check(2026, 3, 23, 13, 0)
    assert Ticket.objects.get(pk=owned.pk).commitment_missed
    with _at(2026, 3, 23, 13, 5), pytest.raises(InvalidInput, match="reply to the requester first"):
        set_commitment(Ticket.objects.get(pk=owned.pk), agent, local(LONDON, 2026, 3, 24, 10))
    assert Ticket.objects.get(pk=owned.pk).commitment_missed  # still flagged: nothing was hidden
    with _at(2026, 3, 23, 13, 10):  # the reply settles the missed one; the new date goes with it
        services.add_reply(
            Ticket.objects.get(pk=owned.pk), agent, "Sorry for the delay: here is where we are."
        )
        set_commitment(Ticket.objects.get(pk=owned.pk), agent, local(LONDON, 2026, 3, 24, 10))
    fresh = Ticket.objects.get(pk=owned.pk)
    assert not fresh.commitment_missed and fresh.commitment_due_at == local(LONDON, 2026, 3, 24, 10)
    assert _check(2026, 3, 24, 9, 30)["reminded"] == 1  # the second promise is reminded …
    assert _check(2026, 3, 24, 10, 1)["missed"] == 1  # … and flagged when missed too


def test_quick_picks_skip_weekends_and_holidays(owned, london):
    from sla.commitments import quick_picks

    london.extra_holidays = ["2026-03-30"]  # Monday
    london.save()
    friday_afternoon = local(LONDON, 2026, 3, 27, 15, 0)
    picks = dict(quick_picks(owned, friday_afternoon))
    assert picks["End of day"] == local(LONDON, 2026, 3, 27, 17, 0)
    assert picks["Tuesday 10:00"] == local(LONDON, 2026, 3, 31, 10, 0)
    saturday = local(LONDON, 2026, 3, 28, 11, 0)
    picks = dict(quick_picks(owned, saturday))
    assert picks["End of Tuesday"] == local(LONDON, 2026, 3, 31, 17, 0)
    thursday = dict(quick_picks(owned, local(LONDON, 2026, 3, 26, 9, 0)))
    assert thursday["Tomorrow 10:00"] == local(LONDON, 2026, 3, 27, 10, 0)

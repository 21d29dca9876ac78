"""Ticket.get_absolute_url builds the URL from a prefix reversed once (lists call it for every row),
and still follows the URLconf and the script prefix."""

import pytest
from django.urls import reverse, set_script_prefix

from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_ticket_url_matches_reverse_under_a_script_prefix(monkeypatch):
    t = TicketFactory()
    assert t.get_absolute_url() == reverse("tickets:detail", args=[t.number]) == f"/tickets/{t.number}/"
    set_script_prefix("/desk/")
    try:
        assert (
            t.get_absolute_url() == f"/desk/tickets/{t.number}/" == reverse("tickets:detail", args=[t.number])
        )
    finally:
        set_script_prefix("/")
    calls = []
    import tickets.models.ticket as module

    monkeypatch.setattr(module, "reverse", lambda *a, **k: calls.append(a))
    assert [TicketFactory.build(number=n).get_absolute_url() for n in (5, 6)] == [
        "/tickets/5/",
        "/tickets/6/",
    ]
    assert calls == []

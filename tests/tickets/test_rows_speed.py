"""Queue rows (issue #20 §1): the time zone is looked up once per list, not once per row, and the row
shows the same local time either way."""

import pytest
from django.utils import timezone

from tests.factories import TicketFactory
from tickets import rows, selectors
from tickets.models import Tier

pytestmark = pytest.mark.django_db


def test_a_list_looks_up_the_time_zone_once(login, agent, monkeypatch):
    for _ in range(4):
        TicketFactory(tier=Tier.T1)
    per_row = []
    real = timezone.localtime
    monkeypatch.setattr(rows.timezone, "localtime", lambda *a, **k: per_row.append(a) or real(*a, **k))
    html = login(agent).get("/queues/t1/").content.decode()
    assert html.count('data-href="/tickets/') == 4
    assert per_row == []


def test_row_html_with_the_list_time_zone_equals_the_per_row_lookup(agent):
    ticket = TicketFactory(tier=Tier.T1)
    [row] = selectors.decorate([rows.QueueRow(v) for v in selectors.queue_values().filter(pk=ticket.pk)])
    now = timezone.now()
    assert rows.row_html(row, now, tz=timezone.get_current_timezone()) == rows.row_html(row, now)

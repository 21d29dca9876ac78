"""002 "If you're not working on support the following working day, reassign your tickets back to the
group": prompt on the last rota day, hand back after the grace period (tier queue or chosen colleague)
with a note, each exactly once, counted on the Playbook screen. Clock pinned; default calendar Mon–Fri."""

import datetime as dt

import pytest
import time_machine

from escalation.models import TierAssignment
from escalation.services import handback
from playbook.models import RuleRun
from playbook.selectors import week_figures
from tests.factories import UserFactory
from tickets import services as core
from tickets.errors import InvalidInput
from tickets.models import Message, Notification, Tier

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 12, 4)
FRIDAY_3PM = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)
FRIDAY_4PM = dt.datetime(2026, 12, 4, 16, 0, tzinfo=dt.UTC)
FRIDAY_6PM = dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def leaving(make_ticket):
    eng = UserFactory(username="leaver", role="Agent")
    TierAssignment.objects.create(user=eng, tier=Tier.T2, starts_on=dt.date(2026, 11, 30), ends_on=FRIDAY)
    tickets = []
    for n in range(2):
        t = make_ticket(subject=f"Open work {n}")
        core.update_ticket(t, None, tier=Tier.T2, assignee=eng)
        tickets.append(t)
    return eng, tickets


def test_prompt_at_the_hour_then_back_to_the_tier_queue_after_the_grace(leaving):
    eng, tickets = leaving
    with time_machine.travel(FRIDAY_3PM, tick=False):
        assert handback.run_handbacks() == {"prompted": 0, "handed_back": 0}
    with time_machine.travel(FRIDAY_4PM, tick=False):
        assert handback.run_handbacks() == {"prompted": 1, "handed_back": 0}
        assert handback.run_handbacks() == {"prompted": 0, "handed_back": 0}  # once
        prompt = Notification.objects.get(reason="rota_handback_prompt", recipient_user=eng)
        assert "/oncall/handback/" in prompt.body and "18:00" in prompt.body
    with time_machine.travel(FRIDAY_6PM, tick=False):
        assert handback.run_handbacks() == {"prompted": 0, "handed_back": 2}
        assert handback.run_handbacks() == {"prompted": 0, "handed_back": 0}  # once
        for t in tickets:
            t.refresh_from_db()
            assert t.assignee is None and t.tier == Tier.T2
            assert Message.objects.filter(ticket=t, body__contains="back to the T2 queue").count() == 1
        fig = week_figures()
        assert (fig["rota_prompts"], fig["rota_handed_back"]) == (1, 2)
        assert set(fig.links["rota_handed_back"]) == {t.number for t in tickets}


def test_the_chosen_colleague_gets_them(leaving, login):
    eng, tickets = leaving
    mate = UserFactory(username="mate", role="Agent")
    with time_machine.travel(FRIDAY_4PM, tick=False):
        handback.run_handbacks()
        response = login(eng).post("/oncall/handback/", {"colleague": mate.pk}, follow=True)
        assert "Your tickets will go to" in response.content.decode()
    with time_machine.travel(FRIDAY_6PM, tick=False):
        handback.run_handbacks()
    for t in tickets:
        t.refresh_from_db()
        assert t.assignee == mate
    assert RuleRun.objects.get(rule="rota_handback").data["colleague"] == mate.pk


def test_nobody_is_prompted_who_is_on_the_rota_next_working_day(leaving):
    eng, _ = leaving
    TierAssignment.objects.create(
        user=eng, tier=Tier.T1, starts_on=dt.date(2026, 12, 7), ends_on=dt.date(2026, 12, 11)
    )
    with time_machine.travel(FRIDAY_6PM, tick=False):
        assert handback.run_handbacks()["prompted"] == 0


def test_choosing_without_a_prompt_or_oneself_is_refused(leaving):
    eng, _ = leaving
    with time_machine.travel(FRIDAY_3PM, tick=False), pytest.raises(InvalidInput):
        handback.choose_colleague(eng, None)
    with time_machine.travel(FRIDAY_4PM, tick=False):
        handback.run_handbacks()
        with pytest.raises(InvalidInput):
            handback.choose_colleague(eng, eng)

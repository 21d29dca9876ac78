"""Parameters: validation naming the field, audit trail, cache cleared on change, and the existing rules
reading the tuned values (timers, WIP, nudges, on-call, commitments)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from playbook import params, services
from playbook.models import PlaybookChange, PlaybookSetting
from playbook.params import InvalidParameter
from tests.factories import OrganizationFactory
from tickets import services as tickets
from tickets.models import NextAction, Status, Tier

pytestmark = pytest.mark.django_db


def test_defaults_come_from_settings(settings):
    settings.HELPDESK_WIP_LIMIT = 5
    settings.HELPDESK_TIMERS = {**settings.HELPDESK_TIMERS, "pending_reminder_days": 4}
    assert params.get("wip_limit") == 5
    assert params.get("pending_reminder_days") == 4
    assert params.get("review_tags") == ["Missed Doc Review", "Process Tweak", "debug-improvements"]


@pytest.mark.parametrize(
    ("key", "raw", "words"),
    [
        ("pending_reminder_days", 0, "between 1 and 60"),
        ("wip_limit", 0, "WIP limit (wip_limit): must be between 1"),
        ("wip_limit", "three", "whole number"),
        ("wip_limit", True, "whole number"),
        ("oncall_ack_minutes", 100000, "between 5 and 1440"),
        ("review_tags", [], "at least one tag"),
        ("review_tags", [1, 2], "list of names"),
        ("no_such_rule", 3, "not a playbook parameter"),
    ],
)
def test_bad_values_are_refused_naming_the_field(manager, key, raw, words):
    with pytest.raises(InvalidParameter) as exc:
        services.set_param(key, raw, manager)
    assert exc.value.field == key
    assert words in str(exc.value)
    assert not PlaybookSetting.objects.exists()
    assert not PlaybookChange.objects.exists()


def test_status_page_threshold_cannot_be_below_the_tag_threshold(manager):
    with pytest.raises(InvalidParameter) as exc:
        services.set_param("status_page_tickets", 2, manager)
    assert exc.value.field == "status_page_tickets"


def test_a_change_is_audited_and_read_at_once(manager):
    assert params.get("wip_limit") == 3  # cached now
    change = services.set_param("wip_limit", "5", manager)
    assert params.get("wip_limit") == 5  # the cache was cleared
    assert (change.key, change.old_value, change.new_value, change.changed_by) == ("wip_limit", 3, 5, manager)
    assert services.set_param("wip_limit", 5, manager) is None  # no change, no audit row
    services.set_param("wip_limit", 3, manager)  # back to the default: follows the settings again
    assert not PlaybookSetting.objects.filter(key="wip_limit").exists()
    assert list(PlaybookChange.objects.values_list("old_value", "new_value")) == [(5, 3), (3, 5)]


def test_review_tags_are_cleaned(manager):
    services.set_param("review_tags", "Missed Doc Review, debug-improvements,, debug-improvements", manager)
    assert params.get("review_tags") == ["Missed Doc Review", "debug-improvements"]


def test_pending_timer_uses_the_tuned_days_for_new_timers_and_org_override_wins(
    manager, contact, triage_lead
):
    services.set_param("pending_reminder_days", 5, manager)
    t = tickets.open_ticket(contact, "Printer", "It jams")
    t = tickets.update_ticket(t, triage_lead, tier=Tier.T1)
    with time_machine.travel(timezone.now(), tick=False):
        tickets.change_status(t, Status.PENDING, by=triage_lead)
        t.refresh_from_db()
        assert t.next_action == NextAction.REMIND
        assert t.next_action_at == timezone.now() + dt.timedelta(days=5)
    org = OrganizationFactory(pending_reminder_days=2)
    contact.organization = org
    contact.save()
    other = tickets.open_ticket(contact, "Scanner", "Offline")
    other = tickets.update_ticket(other, triage_lead, tier=Tier.T1)
    with time_machine.travel(timezone.now(), tick=False):
        tickets.change_status(other, Status.PENDING, by=triage_lead)
        other.refresh_from_db()
        assert other.next_action_at == timezone.now() + dt.timedelta(days=2)


def test_wip_limit_reaches_my_work(manager, agent):
    from tickets.selectors import my_work

    services.set_param("wip_limit", 7, manager)
    assert my_work(agent).wip_limit == 7


def test_oncall_and_commitment_timers_read_the_playbook(manager):
    from escalation.services import oncall
    from sla import commitments

    services.set_param("oncall_ack_minutes", 20, manager)
    services.set_param("oncall_next_minutes", 10, manager)
    services.set_param("commitment_reminder_minutes", 15, manager)
    assert oncall.ack_within() == dt.timedelta(minutes=20)
    assert oncall.next_after() == dt.timedelta(minutes=10)
    assert commitments.reminder_lead() == dt.timedelta(minutes=15)

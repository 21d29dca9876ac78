"""The playbook as YAML: lossless round trip, diff before applying, invalid files change nothing."""

import pytest
import yaml

from playbook import params, services, yamlio
from playbook.models import PlaybookChange
from playbook.params import InvalidParameter
from sla.models import SlaPolicy

pytestmark = pytest.mark.django_db


def _edited(**parameters):
    data = yaml.safe_load(yamlio.export_yaml())
    data["parameters"].update(parameters)
    return data


def test_export_import_round_trip_is_lossless(manager):
    services.set_param("wip_limit", 4, manager)
    services.set_param("review_tags", ["debug-improvements", "Process Tweak"], manager)
    text = yamlio.export_yaml()
    plan = yamlio.plan_import(text)
    assert plan.differences == []
    before = (
        params.current(),
        list(SlaPolicy.objects.values_list("tier", "priority", "green_seconds", "yellow_seconds")),
    )
    yamlio.apply_import(text, manager)
    after = (
        params.current(),
        list(SlaPolicy.objects.values_list("tier", "priority", "green_seconds", "yellow_seconds")),
    )
    assert before == after
    assert yamlio.export_yaml() == text
    assert PlaybookChange.objects.filter(source="import").count() == 0


def test_import_shows_the_differences_then_applies_them(manager):
    data = _edited(wip_limit=6, pending_reminders=1)
    data["sla_policies"][0]["green_hours"] = 3
    data["sla_policies"].append({"tier": "t2", "priority": "urgent", "green_hours": 1, "yellow_hours": 2})
    text = yaml.safe_dump(data)
    plan = yamlio.plan_import(text)
    whats = [d.what for d in plan.differences]
    assert "WIP limit" in whats and "Pending: reminders before resolving" in whats
    assert "SLA T2 Urgent" in whats
    assert params.get("wip_limit") == 3  # a preview changes nothing
    yamlio.apply_import(text, manager)
    assert params.get("wip_limit") == 6
    assert SlaPolicy.objects.filter(tier="t2", priority="urgent", green_seconds=3600).exists()
    assert PlaybookChange.objects.filter(source="import", key="sla:t2:urgent").exists()
    assert yamlio.plan_import(yamlio.export_yaml()).differences == []


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(colour="blue"), "colour"),
        (lambda d: d["parameters"].update(wip_limt=3), "wip_limt"),
        (lambda d: d["parameters"].update(wip_limit="lots"), "wip_limit"),
        (lambda d: d["parameters"].update(pending_reminder_days=0), "pending_reminder_days"),
        (
            lambda d: d["sla_policies"][0].update(yellow_hours=0.5, green_hours=1),
            "sla_policies[1].yellow_hours",
        ),
        (lambda d: d["sla_policies"][0].update(tier="t9"), "sla_policies[1].tier"),
        (lambda d: d["sla_policies"][0].update(green_hours="8h"), "sla_policies[1].green_hours"),
        (lambda d: d["sla_policies"][0].update(owner="me"), "sla_policies[1].owner"),
    ],
)
def test_an_invalid_import_names_the_field_and_changes_nothing(manager, mutate, field):
    data = _edited(wip_limit=9)  # a valid change alongside the bad one must not be applied either
    mutate(data)
    before = list(SlaPolicy.objects.values_list("green_seconds", "yellow_seconds"))
    with pytest.raises(InvalidParameter) as exc:
        yamlio.apply_import(yaml.safe_dump(data), manager)
    assert exc.value.field == field
    assert field.split(".")[-1].split("[")[0] in str(exc.value) or field in str(exc.value)
    assert params.get("wip_limit") == 3
    assert list(SlaPolicy.objects.values_list("green_seconds", "yellow_seconds")) == before
    assert not PlaybookChange.objects.exists()


def test_not_yaml_is_refused():
    with pytest.raises(InvalidParameter) as exc:
        yamlio.plan_import("parameters: [unclosed")
    assert exc.value.field == "file"

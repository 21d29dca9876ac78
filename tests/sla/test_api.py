"""SLA API: staff read, managers edit, bad input is a 400 with field details and changes nothing."""

from __future__ import annotations

import pytest

from sla.models import BusinessCalendar, SlaPolicy

pytestmark = pytest.mark.django_db


def test_staff_read_policies_in_constant_queries(agent, login, django_assert_max_num_queries):
    client = login(agent)
    with django_assert_max_num_queries(6):
        response = client.get("/api/sla-policies/")
    assert response.status_code == 200 and len(response.json()["results"]) == 7
    assert (
        client.patch(
            f"/api/sla-policies/{SlaPolicy.objects.first().pk}/",
            {"green_seconds": 60},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_manager_edits_with_validation(manager, login):
    client = login(manager)
    policy = SlaPolicy.objects.get(tier="t2", priority="")
    bad = client.patch(
        f"/api/sla-policies/{policy.pk}/", {"yellow_seconds": 60}, content_type="application/json"
    )
    assert bad.status_code == 400 and "yellow_seconds" in bad.json()
    ok = client.patch(
        f"/api/sla-policies/{policy.pk}/",
        {"green_seconds": 3600, "version": policy.version},
        content_type="application/json",
    )
    assert ok.status_code == 200 and SlaPolicy.objects.get(pk=policy.pk).green_seconds == 3600
    dup = client.post(
        "/api/sla-policies/",
        {"tier": "t2", "priority": "", "green_seconds": 1, "yellow_seconds": 2},
        content_type="application/json",
    )
    assert dup.status_code == 400 and "priority" in dup.json()


def test_calendar_validation(manager, login):
    client = login(manager)
    bad = client.post(
        "/api/sla-calendars/",
        {"name": "X", "time_zone": "Europe/London", "country": "XX", "weekly_hours": [None] * 7},
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"country", "weekly_hours"} <= set(bad.json())
    assert not BusinessCalendar.objects.filter(name="X").exists()
    ok = client.post(
        "/api/sla-calendars/",
        {
            "name": "UK",
            "time_zone": "Europe/London",
            "country": "GB",
            "weekly_hours": [["09:00", "17:30"]] * 5 + [None, None],
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()


def test_commitment_api(agent, login, ticket):
    client = login(agent)
    bad = client.post(
        "/api/sla-commitments/",
        {"ticket": ticket.number, "due_at": "2001-01-01T10:00:00Z"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "due_at" in bad.json()
    ok = client.post(
        "/api/sla-commitments/",
        {"ticket": ticket.number, "due_at": "2099-01-01T10:00:00Z"},
        content_type="application/json",
    )
    assert ok.status_code == 400  # more than 60 days ahead
    from django.utils import timezone

    due = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    ok = client.post(
        "/api/sla-commitments/", {"ticket": ticket.number, "due_at": due}, content_type="application/json"
    )
    assert ok.status_code == 201


@pytest.mark.parametrize(
    "url, model", [("/api/sla-policies/", SlaPolicy), ("/api/sla-calendars/", BusinessCalendar)]
)
def test_changes_carry_the_version_428_without_409_when_stale(manager, login, url, model):
    """Issue #15 item 9: like tickets, policy and calendar writes name the version they were based on."""
    client = login(manager)
    row = model.objects.order_by("pk").first()
    one = f"{url}{row.pk}/"
    got = client.get(one)
    assert got.headers["ETag"] == f'"{row.version}"' and got.json()["version"] == row.version
    change = {"green_seconds": 1800} if model is SlaPolicy else {"name": "Support hours (edited)"}
    missing = client.patch(one, change, content_type="application/json")
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    ok = client.patch(one, change, content_type="application/json", HTTP_IF_MATCH=got.headers["ETag"])
    assert ok.status_code == 200 and ok.json()["version"] == row.version + 1
    stale = client.patch(one, {**change, "version": row.version}, content_type="application/json")
    assert stale.status_code == 409
    assert client.delete(one).status_code == 428
    assert client.delete(one, HTTP_IF_MATCH=f'"{row.version}"').status_code == 409
    assert model.objects.get(pk=row.pk).version == row.version + 1

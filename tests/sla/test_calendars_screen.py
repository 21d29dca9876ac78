"""Managers keep the business calendars: list, create with a split shift, edit the default, bad input
re-rendered with field errors and nothing stored, only managers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sla.calendars import business_day_seconds, calendar_for, week_for
from sla.models import BusinessCalendar
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.usefixtures("celery_eager")  # the tasks queued on commit run

WEEKDAYS = {
    "mon": "08:00-12:00, 13:00-17:00",
    "tue": "09:00-17:00",
    "wed": "09:00-17:00",
    "thu": "09:00-17:00",
    "fri": "09:00-15:00",
    "sat": "",
    "sun": "",
}


def _data(**extra):
    return {
        "name": "Client hours",
        "time_zone": "Europe/London",
        "country": "gb",
        "subdivision": "ENG",
        "extra_holidays": "2026-12-24\n2026-12-31",
        **WEEKDAYS,
        **extra,
    }


@pytest.mark.django_db
def test_only_managers(agent, login, client):
    urls = (reverse("sla:calendars"), reverse("sla:calendar_new"))
    assert [client.get(url).status_code for url in urls] == [302, 302]
    signed_in = login(agent)
    assert [signed_in.get(url).status_code for url in urls] == [403, 403]
    assert signed_in.post(urls[1], _data()).status_code == 403
    assert not BusinessCalendar.objects.filter(name="Client hours").exists()


@pytest.mark.django_db
def test_list_in_constant_queries(manager, login, django_assert_max_num_queries):
    c = login(manager)
    c.get(reverse("sla:calendars"))
    for i in range(5):
        BusinessCalendar.objects.create(
            name=f"Cal {i}", time_zone="UTC", weekly_hours=[["09:00", "17:00"]] * 7
        )
    with django_assert_max_num_queries(6):
        html = c.get(reverse("sla:calendars")).content.decode()
    assert "Cal 4" in html and "closed" not in html.split("Cal 4")[1].split("</tr>")[0]


@pytest.mark.django_db
def test_create_with_split_shift_and_organization_override(manager, login):
    org = OrganizationFactory()
    response = login(manager).post(reverse("sla:calendar_new"), _data(organizations=[org.pk]))
    assert response.status_code == 302
    cal = BusinessCalendar.objects.get(name="Client hours")
    assert cal.weekly_hours[0] == [["08:00", "12:00"], ["13:00", "17:00"]] and cal.weekly_hours[5] is None
    assert cal.country == "GB" and cal.extra_holidays == ["2026-12-24", "2026-12-31"]
    assert calendar_for(org.pk, None) == cal
    assert business_day_seconds(week_for(cal)) == 8 * 3600


@pytest.mark.parametrize(
    "extra, field, text",
    [
        ({"mon": "9 to 5"}, "mon", "write hours like 09:00-17:00"),
        ({"mon": "08:00-12:00, 11:00-17:00"}, None, "overlap"),
        ({"tue": "17:00-09:00"}, None, "before it starts"),
        ({"country": "XX"}, "country", "Unknown country code"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Unknown time zone"),
        ({"extra_holidays": "next friday"}, "extra_holidays", "Not a date"),
        ({**dict.fromkeys(WEEKDAYS, "")}, None, "no working hours"),
    ],
)
@pytest.mark.django_db
def test_bad_input_shows_errors_and_stores_nothing(manager, login, extra, field, text):
    response = login(manager).post(reverse("sla:calendar_new"), _data(**extra))
    assert response.status_code == 400
    form = response.context["form"]
    errors = form.errors.get(field) if field else form.non_field_errors()
    assert errors and text in " ".join(errors)
    assert not BusinessCalendar.objects.filter(name="Client hours").exists()


@pytest.mark.django_db
def test_making_another_calendar_the_default_moves_the_flag(manager, login):
    old = BusinessCalendar.objects.get(is_default=True)
    assert login(manager).post(reverse("sla:calendar_new"), _data(is_default="on")).status_code == 302
    assert BusinessCalendar.objects.get(is_default=True).name == "Client hours"
    old.refresh_from_db()
    assert not old.is_default


@pytest.mark.django_db
def test_duplicate_name_is_refused(manager, login):
    default = BusinessCalendar.objects.get(is_default=True)
    response = login(manager).post(reverse("sla:calendar_new"), _data(name=default.name))
    assert response.status_code == 400 and "already a calendar" in response.content.decode()


@pytest.mark.e2e
def test_manager_gives_the_default_calendar_a_lunch_break(browser_login, live_server, manager):
    default = BusinessCalendar.objects.get(is_default=True)
    page = browser_login(manager, "/sla/policies/")
    page.click("#calendars-link")
    page.locator(f"#calendar-{default.pk}").get_by_role("link", name="Edit").click()
    page.fill("#id_mon", "08:00-12:00, 13:00-17:00")
    page.fill("#id_tue", "nine to five")
    page.get_by_role("button", name="Save calendar").click()
    expect(page.locator("#calendar-form")).to_contain_text("write hours like 09:00-17:00")
    page.fill("#id_tue", "09:00-17:00")
    page.get_by_role("button", name="Save calendar").click()
    expect(page.locator(".flash")).to_contain_text("saved")
    expect(page.locator(f"#calendar-{default.pk}")).to_contain_text("08:00-12:00, 13:00-17:00")
    default.refresh_from_db()
    assert default.weekly_hours[0] == [["08:00", "12:00"], ["13:00", "17:00"]]


@pytest.mark.django_db
def test_a_stale_calendar_edit_is_409_with_the_typed_values_kept(manager, login):
    """Issue #15 item 9: a save based on an older version of the calendar is refused, nothing lost."""
    from sla import services

    client = login(manager)
    assert client.post(reverse("sla:calendar_new"), _data()).status_code == 302
    cal = BusinessCalendar.objects.get(name="Client hours")
    url = reverse("sla:calendar_edit", args=[cal.pk])
    assert f'name="version" value="{cal.version}"' in client.get(url).content.decode()
    read = cal.version
    cal.subdivision = "SCT"
    services.save_calendar(cal, expected_version=read)  # another manager, meanwhile
    stale = client.post(url, _data(name="Client hours UK", version=read))
    html = stale.content.decode()
    assert stale.status_code == 409 and "Another manager changed this calendar" in html
    assert "Client hours UK" in html and f'name="version" value="{read + 1}"' in html
    assert BusinessCalendar.objects.get(pk=cal.pk).name == "Client hours"
    assert client.post(url, _data(name="Client hours UK", version=read + 1)).status_code == 302
    assert BusinessCalendar.objects.get(pk=cal.pk).name == "Client hours UK"

"""The default calendar (Mon–Fri 09:00–17:00 in settings.TIME_ZONE), an around-the-clock calendar for
on-call, and seed 004's SLA table as the default policies. A business day is 8 working hours."""

from django.conf import settings
from django.db import migrations

HOUR = 3600
DAY = 8 * HOUR  # one business day of the default calendar

# tier: (green, yellow) — 004 "Service Level Agreement (SLA) Response Times"
DEFAULTS = {
    "triage": (2 * HOUR, 1 * DAY),
    "t1": (2 * HOUR, 1 * DAY),
    "t2": (1 * DAY, 2 * DAY),
    "t3": (1 * DAY, 2 * DAY),
    "t4": (2 * DAY, 3 * DAY),
    "t5": (2 * DAY, 3 * DAY),
    # Not in 004's table: on-call "should see a ticket within one hour" (004), around the clock.
    "oncall": (1 * HOUR, 4 * HOUR),
}


def forwards(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    default, _ = BusinessCalendar.objects.get_or_create(
        name="Default (Mon–Fri 09:00–17:00)",
        defaults={
            "time_zone": settings.TIME_ZONE,
            "weekly_hours": [["09:00", "17:00"]] * 5 + [None, None],
            "is_default": not BusinessCalendar.objects.filter(is_default=True).exists(),
        },
    )
    always, _ = BusinessCalendar.objects.get_or_create(
        name="Around the clock (on-call)",
        defaults={"time_zone": settings.TIME_ZONE, "weekly_hours": [["00:00", "00:00"]] * 7},
    )
    for tier, (green, yellow) in DEFAULTS.items():
        SlaPolicy.objects.get_or_create(
            tier=tier,
            priority="",
            defaults={
                "green_seconds": green,
                "yellow_seconds": yellow,
                "calendar": always if tier == "oncall" else None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_clock_budgets_state")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Roles are groups (DESIGN §1); the standard teams exist from the start (DESIGN §2)."""

from django.db import migrations

ROLES = ["Agent", "Triage lead", "Manager", "Admin"]
TEAMS = [
    ("Helpdesk", "helpdesk"),
    ("Engagement", "engagement"),
    ("Product", "product"),
    ("Marketing", "marketing"),
    ("Architecture", "architecture"),
    ("Account management", "account-management"),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Team = apps.get_model("tickets", "Team")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    for name, slug in TEAMS:
        Team.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

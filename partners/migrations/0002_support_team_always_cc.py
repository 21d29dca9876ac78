"""004 "CC dev@… and tier2@… on all partner communications of any type": the support team copies the
developers' and tier-2 addresses of our own domain by default (editable in the admin and on
/partners/settings/)."""

from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    Team = apps.get_model("tickets", "Team")
    Settings = apps.get_model("partners", "TeamPartnerSettings")
    domain = settings.HELPDESK_SUPPORT_EMAIL.strip().lower().rpartition("@")[2] or "helpdesk.localhost"
    team = Team.objects.filter(slug="helpdesk").first()
    if team is not None:
        Settings.objects.get_or_create(team=team, defaults={"always_cc": f"dev@{domain}, tier2@{domain}"})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_side_conversations"), ("tickets", "0002_roles_and_teams")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

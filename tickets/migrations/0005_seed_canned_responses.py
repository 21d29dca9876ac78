"""Ship the seed 003 first-response template ("Timeliness / First Response Time") as a canned response."""

from django.db import migrations

FIRST_RESPONSE = """Hi {{ requester.first_name }},

Thanks for sending this over! It sounds like you're experiencing a problem with {{ ticket.subject }}. \
We'll research some more about this, and we'll follow up once we've got more information.

Let me know if I can help with anything else in the meantime!


Thanks,
{{ agent.first_name }}
Support"""

# Was "First response (003)" until 0012 renamed it (on-screen text never cites playbook file numbers).
TITLE = "First response"


def seed(apps, schema_editor):
    CannedResponse = apps.get_model("tickets", "CannedResponse")
    CannedResponse.objects.get_or_create(title=TITLE, defaults={"body": FIRST_RESPONSE})


def unseed(apps, schema_editor):
    apps.get_model("tickets", "CannedResponse").objects.filter(title=TITLE).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_fts_indexes")]
    operations = [migrations.RunPython(seed, unseed)]

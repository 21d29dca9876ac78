"""Words for people (issue #17 item 8): on-screen text never cites playbook file numbers. The canned
response shipped by 0005 as "First response (003)" becomes "First response" (unless someone already made
one with that title), and the authorised-contact help text loses its "(000/001)"."""

from django.db import migrations, models

OLD, NEW = "First response (003)", "First response"


def rename(apps, schema_editor):
    CannedResponse = apps.get_model("tickets", "CannedResponse")
    if not CannedResponse.objects.filter(title=NEW).exists():
        CannedResponse.objects.filter(title=OLD).update(title=NEW)


def unrename(apps, schema_editor):
    CannedResponse = apps.get_model("tickets", "CannedResponse")
    if not CannedResponse.objects.filter(title=OLD).exists():
        CannedResponse.objects.filter(title=NEW).update(title=OLD)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0011_ticket_links")]

    operations = [
        migrations.AlterField(
            model_name="contact",
            name="is_authorised",
            field=models.BooleanField(
                default=False, help_text="May request changes on behalf of the organization."
            ),
        ),
        migrations.RunPython(rename, unrename),
    ]

"""In-app notices are written as sent (``Notification.in_app``): mark the ones an older version left
pending, so the outbox does not work through them before the emails behind them."""

from django.db import migrations


def mark_sent(apps, schema_editor):
    schema_editor.execute(
        "UPDATE tickets_notification SET state = 'sent', sent_at = COALESCE(sent_at, created_at) "
        "WHERE channel = 'in_app' AND state = 'pending'"
    )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0015_leaner_write_indexes")]

    operations = [migrations.RunPython(mark_sent, migrations.RunPython.noop, elidable=True)]

from django.db import migrations, models

from talentcloud.audit.migrations_sql import sqlite_trigger_statements


def reinstall_sqlite_triggers(apps, schema_editor):
    # SQLite adds a column with a default by rebuilding the table, which drops its triggers.
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in sqlite_trigger_statements():
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditseal",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.RunPython(reinstall_sqlite_triggers, migrations.RunPython.noop),
    ]

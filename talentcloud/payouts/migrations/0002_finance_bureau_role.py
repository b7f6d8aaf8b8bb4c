"""The finance bureau's standard role (``finance-bureau``, declared in ``payouts/permissions.py``) on a database
whose roles were installed before this app; its permissions follow from ``standard_grants_sync`` after
``migrate``."""

from django.db import migrations


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    if Role.objects.exists() and not Role.objects.filter(code="finance-bureau").exists():
        Role.objects.create(
            code="finance-bureau",
            name="财政局",
            name_en="Finance bureau",
            kind="service_staff",
            scope="unit",
            permissions=[],
        )


class Migration(migrations.Migration):
    dependencies = [("payouts", "0001_initial"), ("accounts", "0006_standard_grants")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

"""The standard role of station partners' accounts (``station-partner``, declared in ``stations.permissions``)
on a database whose roles were installed before it; its permission follows from ``standard_grants_sync`` after
``migrate``."""

from django.db import migrations


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    if Role.objects.exists() and not Role.objects.filter(code="station-partner").exists():
        Role.objects.create(
            code="station-partner",
            name="引才工作站合作人员",
            name_en="Station partner staff",
            kind="service_staff",
            scope="self",
            permissions=[],
        )


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial"), ("accounts", "0007_role_kind_code_verifier")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

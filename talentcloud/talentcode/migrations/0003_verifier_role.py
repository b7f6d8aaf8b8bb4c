"""The standard role of verifiers' accounts (``code-verifier``, accounts' catalogue) on a database whose roles
were installed before it; its permission follows from ``standard_grants_sync`` after ``migrate``."""

from django.db import migrations


def add(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    if Role.objects.exists() and not Role.objects.filter(code="code-verifier").exists():
        Role.objects.create(
            code="code-verifier",
            name="人才码核验人员",
            name_en="Talent-code verifier",
            kind="code_verifier",
            scope="self",
            permissions=[],
        )


class Migration(migrations.Migration):
    dependencies = [("talentcode", "0002_scenes"), ("accounts", "0007_role_kind_code_verifier")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

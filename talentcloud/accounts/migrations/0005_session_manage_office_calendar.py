"""The standard roles gain two codes: the security administrator ``session.manage`` (signed-in sessions, forced
sign-out), the talent office ``calendar.manage`` (it enters next year's holidays). Only adds, only to the
standard roles by code, where they exist; nothing else a deployment edited is touched."""

from django.db import migrations

ADDED = {"security-admin": "session.manage", "talent-office": "calendar.manage"}


def add_codes(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, perm in ADDED.items():
        for role in Role.objects.filter(code=code):
            if perm not in role.permissions:
                role.permissions = [*role.permissions, perm]
                role.save(update_fields=["permissions"])


def remove_codes(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, perm in ADDED.items():
        for role in Role.objects.filter(code=code):
            role.permissions = [p for p in role.permissions if p != perm]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_preferred_language")]

    operations = [migrations.RunPython(add_codes, remove_codes)]

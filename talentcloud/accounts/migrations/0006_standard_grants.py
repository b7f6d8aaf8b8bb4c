"""The ledger of standard grants (``accounts.roles.standard_grants_sync``): every code the catalogue gave a
standard role up to now is recorded as given, so the sync adds only grants apps declare from here on, and never
gives back a code a deployment took from a role."""

from django.db import migrations, models

GIVEN = {
    "enterprise-hr": "enterprise.report enterprise.view",
    "service-staff": "case.handle need.reply orgunit.view",
    "department-head": "case.escalations case.handle need.reply orgunit.view",
    "park-staff": "enterprise.edit enterprise.report enterprise.view fact.verify orgunit.view talent.edit talent.export talent.view",
    "street-staff": "enterprise.edit enterprise.report enterprise.view fact.verify orgunit.view talent.edit talent.export talent.view",
    "liaison-cadre": "contact.log orgunit.view talent.view",
    "talent-office": "calendar.manage case.oversee clash.resolve contact.log dashboard.view enterprise.edit enterprise.import enterprise.report enterprise.view fact.verify family.view need.reply orgunit.view pii.unmask pipl.handle policy.manage service.manage talent.edit talent.export talent.import talent.view",
    "talent-office-head": "calendar.manage case.oversee clash.resolve contact.log dashboard.view enterprise.edit enterprise.import enterprise.report enterprise.view fact.verify family.view need.reply orgunit.view pii.unmask pipl.handle policy.manage policy.publish service.manage talent.edit talent.export talent.import talent.view",
    "system-admin": "calendar.manage orgunit.manage orgunit.view system.status user.manage",
    "security-admin": "account.unlock role.assign session.manage token.revoke_any",
    "audit-admin": "audit.view",
}


def record_given(apps, schema_editor):
    StandardGrant = apps.get_model("accounts", "StandardGrant")
    StandardGrant.objects.bulk_create(
        [StandardGrant(role_code=role, permission=code) for role, codes in GIVEN.items() for code in codes.split()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_session_manage_office_calendar")]

    operations = [
        migrations.CreateModel(
            name="StandardGrant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role_code", models.SlugField(verbose_name="role code")),
                ("permission", models.CharField(max_length=100, verbose_name="permission")),
                ("granted_at", models.DateTimeField(auto_now_add=True, verbose_name="granted at")),
            ],
            options={
                "verbose_name": "standard grant",
                "constraints": [
                    models.UniqueConstraint(fields=("role_code", "permission"), name="accounts_standardgrant_once")
                ],
            },
        ),
        migrations.RunPython(record_given, migrations.RunPython.noop),
    ]

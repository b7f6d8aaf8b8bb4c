"""Staff API tokens live at most settings.STAFF_API_TOKEN_MAX_DAYS (90): shorten the ones issued for longer.

Staff are users holding any role whose kind is not a member of the public (the kinds as stored: "talent",
"enterprise"), and superusers, as ``User.requires_second_factor`` says. A talent's or enterprise HR's
token keeps its expiry. One audit event carries the count.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models import Q

PUBLIC_ROLE_KINDS = ("talent", "enterprise")  # as stored in accounts_role.kind


def shorten_staff_tokens(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    Role = apps.get_model("accounts", "Role")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    max_days = int(getattr(settings, "STAFF_API_TOKEN_MAX_DAYS", 90))
    staff_roles = Role.objects.exclude(kind__in=PUBLIC_ROLE_KINDS)
    tokens = (
        ApiToken.objects.filter(Q(user__is_superuser=True) | Q(user__roles__in=staff_roles))
        .distinct()
        .only("pk", "created_at", "expires_at")
    )
    shortened = 0
    for token in tokens.iterator():
        limit = token.created_at + timedelta(days=max_days)
        if token.expires_at > limit:
            ApiToken.objects.filter(pk=token.pk).update(expires_at=limit)
            shortened += 1
    if shortened:
        AuditEvent.objects.create(
            actor_username="migration",
            action="token.shorten",
            object_type="api_token",
            details={"tokens": shortened, "max_days": max_days},
        )
    return shortened


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_apitoken_stepped_up_at"),
        ("audit", "0002_chain"),
    ]

    operations = [migrations.RunPython(shorten_staff_tokens, migrations.RunPython.noop)]

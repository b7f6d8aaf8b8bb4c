"""Notifications keep their event's parameters and are put into words when read, in the reader's language.

Existing rows were written as text. A row is given parameters only where they can be recovered exactly: a case
notice whose parameters are the case's number and service (received, new, answered), found through the row's
link, and whose stored text is exactly what those parameters give in one of the platform's languages. Every
other row keeps its text, which it shows as before.
"""

import re

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

RECOVERABLE = {"case.submitted", "case.new", "case.answered"}
CASE_URL = re.compile(r"^/hall/cases/([0-9a-f-]{36})/$")


def recover_params(apps, schema_editor):
    from talentcloud.notifications.events import render

    Notification = apps.get_model("notifications", "Notification")
    Case = apps.get_model("servicehall", "Case")
    rows = Notification.objects.filter(params__isnull=True, event__in=RECOVERABLE).only(
        "pk", "event", "url", "title", "body"
    )
    for row in rows.iterator(chunk_size=2000):
        match = CASE_URL.match(row.url or "")
        case = Case.objects.filter(pk=match.group(1)).select_related("service").first() if match else None
        if case is None:
            continue
        service = case.service
        names = {code: service.name for code, _name in settings.LANGUAGES}
        if service.name_en:
            names["en"] = service.name_en
        params = {"number": case.number or "", "service": {"each": names}}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                if render(row.event, params) == (row.title, row.body):
                    Notification.objects.filter(pk=row.pk).update(params=params)
                    break


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("servicehall", "0002_open_work_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(recover_params, migrations.RunPython.noop, elidable=True),
    ]

"""Notifications keep their event's parameters and are put into words when read, in the reader's language.

Existing rows were written as text. A row is given parameters only where they can be recovered exactly: a case
notice (received, new, accepted, more materials, not accepted, answered) whose parameters are the case's
number and service, its deadline or a note on its timeline, found through the row's link, and whose stored
text is exactly what those parameters gave in one of the platform's languages (the service was named in
Chinese then). Every other row keeps its text, which it shows as before.
"""

import re

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

CASE_EVENTS = {
    "case.submitted": None,
    "case.new": None,
    "case.answered": None,
    "case.accepted": "due",
    "case.returned": "return",
    "case.refused": "refuse",
}
CASE_URL = re.compile(r"^/hall/cases/([0-9a-f-]{36})/$")


def _candidates(event, case, CaseEvent):
    """The parameter sets the notice may have been written with (the service by its Chinese name)."""
    base = {"number": case.number or "", "service": case.service.name}
    extra = CASE_EVENTS[event]
    if extra is None:
        return [base]
    if extra == "due":
        return [{**base, "due": str(case.due_on)}] if case.due_on else []
    notes = CaseEvent.objects.filter(case_id=case.pk, action=extra).values_list("note", flat=True)
    return [{**base, "note": (note or "").strip()} for note in notes]


def recover_params(apps, schema_editor):
    from talentcloud.notifications.events import render

    Notification = apps.get_model("notifications", "Notification")
    Case = apps.get_model("servicehall", "Case")
    CaseEvent = apps.get_model("servicehall", "CaseEvent")
    rows = Notification.objects.filter(params__isnull=True, event__in=CASE_EVENTS).only(
        "pk", "event", "url", "title", "body"
    )
    for row in rows.iterator(chunk_size=2000):
        match = CASE_URL.match(row.url or "")
        case = Case.objects.filter(pk=match.group(1)).select_related("service").first() if match else None
        if case is None:
            continue
        names = {code: case.service.name for code, _name in settings.LANGUAGES}
        if case.service.name_en:
            names["en"] = case.service.name_en
        found = None
        for params in _candidates(row.event, case, CaseEvent):
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    title, body = render(row.event, params)
                if (title[:200], body) == (row.title, row.body):
                    found = {**params, "service": {"each": names}}
                    break
            if found is not None:
                break
        if found is not None:
            Notification.objects.filter(pk=row.pk).update(params=found)


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

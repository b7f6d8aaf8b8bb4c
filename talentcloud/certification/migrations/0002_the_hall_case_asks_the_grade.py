"""The 人才认定 case asks which grade it applies for (#21): a catalogue installed before this change gets a new
version of service ``talent-certification`` whose form leads with the ``grade`` field the certification's
workflow effect reads (the seed has it for a fresh catalogue). A version is never changed once made, so the
old cases keep theirs. Nothing happens where the service does not exist or already asks."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

GRADE_FIELD = {
    "key": "grade",
    "label": "申请认定等级",
    "label_en": "Grade applied for",
    "type": "choice",
    "required": True,
    "choices": ["A", "B", "C", "D", "E", "F"],
    "help": "按分类标准申请的人才认定等级（A 类最高）；认定通过后即为您的认定等级。",
    "sensitive": False,
}


def ask_the_grade(apps, schema_editor):
    Service = apps.get_model("servicehall", "Service")
    ServiceVersion = apps.get_model("servicehall", "ServiceVersion")
    service = Service.objects.filter(code="talent-certification").select_related("current").first()
    if service is None or service.current is None:
        return
    base = service.current
    if any(field.get("key") == "grade" for field in base.form_fields):
        return
    number = (ServiceVersion.objects.filter(service=service).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ServiceVersion.objects.create(
        service=service,
        number=number,
        form_fields=[GRADE_FIELD, *base.form_fields],
        materials=list(base.materials),
        limit_kind=base.limit_kind,
        limit_days=base.limit_days,
        limit_date=base.limit_date,
    )
    Service.objects.filter(pk=service.pk).update(current=version, updated_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_initial"),
        ("servicehall", "0008_case_open_order_idx"),
    ]

    operations = [migrations.RunPython(ask_the_grade, migrations.RunPython.noop)]

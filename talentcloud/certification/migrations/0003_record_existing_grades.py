"""Every grade and tier recorded before the certification history rests on a certification (#21, ADR 0021):
a talent with a grade or tier and no certification gets one with basis "recorded before the certification
history", in force from the day of this migration, without an end (its validity was never recorded), so the
columns and the history agree from the start and a later certification supersedes it. Written a thousand at
a time; nothing is projected (the columns already say it)."""

import uuid

from django.db import migrations
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

CHUNK = 1000


def record_existing(apps, schema_editor):
    Talent = apps.get_model("talents", "Talent")
    Certification = apps.get_model("certification", "Certification")
    today = timezone.localdate()
    history = Certification.objects.filter(talent=OuterRef("pk"))
    graded = (
        Talent.objects.filter(~Q(grade="") | ~Q(tier=""))
        .filter(~Exists(history))
        .order_by("pk")
        .values_list("pk", "grade", "tier")
    )
    rows = []
    for pk, grade, tier in graded.iterator(chunk_size=CHUNK):
        rows.append(
            Certification(
                id=uuid.uuid4(),
                talent_id=pk,
                grade=grade,
                tier=tier,
                basis="recorded",
                effective_from=today,
                effective_to=None,
                status="current",
                reason="认定记录建立前已登记的类别和层次",
            )
        )
        if len(rows) >= CHUNK:
            Certification.objects.bulk_create(rows)
            rows = []
    Certification.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_the_hall_case_asks_the_grade"),
        ("talents", "0021_grade_tier_set_by_certification"),
    ]

    operations = [migrations.RunPython(record_existing, migrations.RunPython.noop)]

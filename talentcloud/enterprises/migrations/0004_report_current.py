from django.db import migrations, models
from django.db.models import F, Window
from django.db.models.functions import RowNumber


def mark_superseded(apps, schema_editor):
    """Of several submissions for one enterprise and year, only the newest is current."""
    AnnualReport = apps.get_model("enterprises", "AnnualReport")
    ranked = AnnualReport.objects.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("enterprise_id"), F("year")],
            order_by=[F("created_at").desc(), F("id").desc()],
        )
    ).filter(rank__gt=1)
    older = list(ranked.values_list("pk", flat=True))
    for start in range(0, len(older), 500):
        AnnualReport.objects.filter(pk__in=older[start : start + 500]).update(current=False)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_members_history")]

    operations = [
        migrations.AddField(
            model_name="annualreport",
            name="current",
            field=models.BooleanField(default=True, verbose_name="current"),
        ),
        migrations.RunPython(mark_superseded, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="annualreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("current", True)), fields=("enterprise", "year"), name="report_one_current"
            ),
        ),
    ]

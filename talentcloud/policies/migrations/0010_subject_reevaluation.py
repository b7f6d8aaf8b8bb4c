from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0009_drafted_by"),
    ]

    operations = [
        migrations.CreateModel(
            name="SubjectChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "target",
                    models.CharField(
                        choices=[("talent", "Talents"), ("enterprise", "Enterprises")], max_length=12
                    ),
                ),
                ("subject_id", models.CharField(max_length=40)),
                ("noted_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.CreateModel(
            name="SubjectResult",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "target",
                    models.CharField(
                        choices=[("talent", "Talents"), ("enterprise", "Enterprises")], max_length=12
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("on", models.DateField()),
                ("results", models.JSONField(default=list)),
                ("read_at", models.DateTimeField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("target", "number"), name="subject_result_unique")
                ]
            },
        ),
    ]

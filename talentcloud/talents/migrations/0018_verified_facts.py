import django.db.models.deletion
from django.db import migrations, models

# The newest record of each fact that is neither pending nor rejected, per talent; a bit per verified one
# (FACT_FIELDS order). Standard SQL: the same statement on SQLite and PostgreSQL.
BACKFILL = """
INSERT INTO talents_verifiedfacts (talent_id, mask)
SELECT talent_id, SUM(CASE WHEN verified THEN
    CASE key WHEN 'highest_degree' THEN 1 WHEN 'graduated_on' THEN 2 WHEN 'social_insurance_since' THEN 4
             WHEN 'owns_home_in_city' THEN 8 WHEN 'employer' THEN 16 ELSE 0 END
    ELSE 0 END)
FROM (
    SELECT talent_id, key, verified,
           ROW_NUMBER() OVER (PARTITION BY talent_id, key ORDER BY created_at DESC, id DESC) AS rank
    FROM talents_factrecord WHERE status NOT IN ('pending', 'rejected')
) newest
WHERE rank = 1
GROUP BY talent_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("talents", "0017_talent_list_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="VerifiedFacts",
            fields=[
                (
                    "talent",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="verified_facts",
                        serialize=False,
                        to="talents.talent",
                    ),
                ),
                ("mask", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]

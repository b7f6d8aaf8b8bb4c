# The employer's park and street are copied onto each talent's row (scope keys, ADR 0015): added, then
# filled for the talents already stored by one set-based UPDATE (the same statement on SQLite and PostgreSQL).

import django.db.models.deletion
import talentcloud.talents.models
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_standard_grants'),
        ('enterprises', '0005_duplicate_clashes'),
        ('talents', '0015_search_name_characters'),
    ]

    operations = [
        migrations.AddField(
            model_name='talent',
            name='employer_park',
            field=talentcloud.talents.models.EmployerPlaceField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, place='park', related_name='+', to='accounts.orgunit'),
        ),
        migrations.AddField(
            model_name='talent',
            name='employer_street',
            field=talentcloud.talents.models.EmployerPlaceField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, place='street', related_name='+', to='accounts.orgunit'),
        ),
        migrations.RunSQL(
            'UPDATE talents_talent SET '
            'employer_park_id = (SELECT e.park_id FROM enterprises_enterprise e WHERE e.id = talents_talent.employer_id), '
            'employer_street_id = (SELECT e.street_id FROM enterprises_enterprise e WHERE e.id = talents_talent.employer_id) '
            'WHERE employer_id IS NOT NULL',
            migrations.RunSQL.noop,
        ),
    ]

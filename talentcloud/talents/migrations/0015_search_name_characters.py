# Each talent's search tokens now hold every Chinese character of the name (a one-character query finds
# every name holding it); recompute them for the talents already stored.

from django.db import migrations


def retokenise(apps, schema_editor):
    from talentcloud.talents.search import talent_tokens

    Talent = apps.get_model('talents', 'Talent')
    batch = []
    for talent in Talent.objects.select_related('employer', 'chain').only(
        'id', 'name', 'post', 'search_tokens', 'employer__name', 'chain__name'
    ).iterator(chunk_size=2000):
        talent.search_tokens = talent_tokens(talent)
        batch.append(talent)
        if len(batch) == 2000:
            Talent.objects.bulk_update(batch, ['search_tokens'])
            batch = []
    if batch:
        Talent.objects.bulk_update(batch, ['search_tokens'])


class Migration(migrations.Migration):

    dependencies = [
        ('talents', '0014_duplicate_clashes'),
    ]

    operations = [
        migrations.RunPython(retokenise, migrations.RunPython.noop),
    ]

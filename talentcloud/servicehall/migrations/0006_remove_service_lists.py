from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("servicehall", "0005_service_eligibility"),
    ]

    operations = [
        migrations.RemoveField(model_name="service", name="categories"),
        migrations.RemoveField(model_name="service", name="grades"),
        migrations.RemoveField(model_name="service", name="tags"),
    ]

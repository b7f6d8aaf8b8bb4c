"""The card's four service scenes (紫金山英才卡) and who each entitles, as rules over the certified grade."""

from django.db import migrations

SCENES = [
    ("medical", "就医绿色通道", "Medical green channel", ["A", "B", "C"], 10),
    ("school", "子女入学", "Children's schooling", ["A", "B", "C", "D"], 20),
    ("transport", "交通出行", "Transport", ["A", "B", "C", "D", "E"], 30),
    ("culture", "文旅服务", "Culture and tourism", ["A", "B", "C", "D", "E", "F"], 40),
]


def add(apps, schema_editor):
    Scene = apps.get_model("talentcode", "Scene")
    for code, name, name_en, grades, order in SCENES:
        Scene.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "order": order,
                "rule": {"all": [{"fact": "grade", "op": "in", "value": grades}]},
            },
        )


def remove(apps, schema_editor):
    apps.get_model("talentcode", "Scene").objects.filter(code__in=[s[0] for s in SCENES]).delete()


class Migration(migrations.Migration):
    dependencies = [("talentcode", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]

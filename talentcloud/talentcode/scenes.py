"""The card's four service scenes (紫金山英才卡) and who each entitles (rules over the certified grade): what
migration ``0002`` installs, installed again by the demo seed on a database emptied since (tests)."""

from __future__ import annotations

from .models import Scene

SCENES = [
    ("medical", "就医绿色通道", "Medical green channel", ["A", "B", "C"], 10),
    ("school", "子女入学", "Children's schooling", ["A", "B", "C", "D"], 20),
    ("transport", "交通出行", "Transport", ["A", "B", "C", "D", "E"], 30),
    ("culture", "文旅服务", "Culture and tourism", ["A", "B", "C", "D", "E", "F"], 40),
]


def scenes_install() -> None:
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

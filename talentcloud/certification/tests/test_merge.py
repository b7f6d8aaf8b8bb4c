"""A merge of two records of one person (ADR 0010) makes their two certification histories one: the newest
certification in force stays current, the other is superseded, and the kept record's columns follow."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from talentcloud.certification.enums import Basis
from talentcloud.certification.models import Certification
from talentcloud.certification.services import Decision, certify
from talentcloud.talents.clashes import clash_merge
from talentcloud.talents.models import Talent, TalentClash

pytestmark = pytest.mark.django_db


def test_a_merge_keeps_the_newest_certification_and_the_columns_follow(make_user, kfq_firm):
    office = make_user("talent-office", "320115-ZZB")
    common = {
        "gender": "M",
        "birth_date": dt.date(1985, 3, 17),
        "highest_degree": "doctor",
        "category": "young",
    }
    existing = Talent.objects.create(name="郑合并", employer=kfq_firm, **common)
    pending = Talent.objects.create(name="郑合并", employer=kfq_firm, pending_merge=True, **common)
    today = timezone.localdate()
    older = certify(
        actor=office,
        talent=existing,
        decision=Decision(
            grade="D", tier="", basis=Basis.DECISION, effective_from=today - dt.timedelta(days=400)
        ),
    )
    newer = certify(
        actor=office,
        talent=pending,
        decision=Decision(grade="B", tier="pioneer", basis=Basis.PROGRAMME, effective_from=today),
    )
    clash = TalentClash.objects.create(new=pending, existing=existing, via="edit")
    clash_merge(actor=office, clash_id=clash.pk)
    existing.refresh_from_db()
    assert (existing.grade, existing.tier) == ("B", "pioneer")
    assert dict(Certification.objects.filter(talent=existing).values_list("pk", "status")) == {
        older.pk: "superseded",
        newer.pk: "current",
    }


def test_a_merge_without_any_certification_leaves_the_columns_alone(make_user, kfq_firm):
    office = make_user("talent-office", "320115-ZZB")
    common = {
        "gender": "F",
        "birth_date": dt.date(1986, 3, 17),
        "highest_degree": "master",
        "category": "young",
    }
    existing = Talent.objects.create(
        name="王旧档", employer=kfq_firm, grade="C", **common
    )  # graded before #21
    pending = Talent.objects.create(name="王旧档", employer=kfq_firm, pending_merge=True, **common)
    clash = TalentClash.objects.create(new=pending, existing=existing, via="edit")
    clash_merge(actor=office, clash_id=clash.pk)
    existing.refresh_from_db()
    assert existing.grade == "C"


def test_grades_recorded_before_the_history_get_a_certification_of_their_own(make_user, kfq_firm):
    migration = importlib.import_module("talentcloud.certification.migrations.0003_record_existing_grades")
    common = {
        "gender": "F",
        "birth_date": dt.date(1980, 1, 1),
        "highest_degree": "doctor",
        "category": "young",
    }
    graded = Talent.objects.create(name="甲已分级", grade="B", **common)
    tiered = Talent.objects.create(name="乙仅层次", tier="elite", **common)
    Talent.objects.create(name="丙未认定", **common)
    office = make_user("talent-office", "320115-ZZB")
    kept = Talent.objects.create(name="丁已认定", **common)
    certify(actor=office, talent=kept, decision=Decision(grade="A", tier="", basis=Basis.DECISION))
    migration.record_existing(django_apps, None)
    rows = {c.talent_id: c for c in Certification.objects.all()}
    assert set(rows) == {graded.pk, tiered.pk, kept.pk}
    assert (rows[graded.pk].grade, rows[graded.pk].basis, rows[graded.pk].effective_to) == (
        "B",
        "recorded",
        None,
    )
    assert (rows[tiered.pk].grade, rows[tiered.pk].tier) == ("", "elite")
    assert rows[kept.pk].basis == "decision"
    migration.record_existing(django_apps, None)  # once only
    assert Certification.objects.count() == 3

"""A merge of two records of one person (ADR 0010) makes their two certification histories one: the newest
certification in force stays current, the other is superseded, and the kept record's columns follow."""

from __future__ import annotations

import datetime as dt

import pytest
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

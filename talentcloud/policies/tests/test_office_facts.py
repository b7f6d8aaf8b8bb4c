"""Facts the office defines without code (ADR 0020): defined on a page, recorded or imported from Excel with
provenance and row-level errors in the user's language, read at once by rules, the calculator and the sweep,
kept in scope, audited, and not removable while a published policy reads them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from talentcloud.audit.models import AuditEvent
from talentcloud.policies.engine import calculate
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import FactDefinition, RecordedValue, SweepResult, ValueSource
from talentcloud.policies.office_facts import define_fact, refresh
from talentcloud.policies.sweep import sweep
from talentcloud.rules.facts import FACTS
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db

ID_A = "320115199004021235"
ID_OTHER = "11010519491231002X"


def _sheet(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "随迁配偶.xlsx"
    return data


@pytest.fixture
def talent(units, kfq_firm):
    catalogue_install()
    library_install()
    return Talent.objects.create(
        name="冯博士",
        gender="M",
        birth_date=dt.date(1980, 3, 1),
        highest_degree="doctor",
        category="high_level",
        grade="B",
        employer=kfq_firm,
        id_number=ID_A,
    )


def _verdict(talent, code):
    return {v.policy.code: v for v in calculate(talent=talent)}[code]


def test_a_fact_defined_on_the_page_is_usable_in_rules_at_once(units, make_user, login):
    office = login(make_user("talent-office"))
    page = office.post(
        "/policies/manage/facts/",
        {
            "label": "人才公寓入住",
            "label_en": "lives in a talent apartment",
            "key": "in_talent_apartment",
            "kind": "bool",
            "target": "talent",
            "recorders": "archive",
        },
    )
    assert page.status_code == 302
    assert FACTS["in_talent_apartment"].label.zh == "人才公寓入住"
    assert AuditEvent.objects.filter(action="office_fact.define").exists()
    listed = office.get("/policies/manage/facts/").content.decode()
    assert "人才公寓入住" in listed
    assert "in_talent_apartment" in listed
    editor = office.get("/policies/manage/new/").content.decode()
    assert "in_talent_apartment" in editor  # the rule builder offers it


def test_a_taken_key_and_a_bad_choice_list_are_refused_at_the_field(units, make_user, login):
    office = login(make_user("talent-office"))
    taken = office.post(
        "/policies/manage/facts/",
        {"label": "年龄", "key": "age", "kind": "number", "target": "talent", "recorders": "office"},
    )
    assert taken.status_code == 400
    assert "已是一个事实" in taken.content.decode()
    choice = office.post(
        "/policies/manage/facts/",
        {"label": "级别", "key": "level_x", "kind": "choice", "target": "talent", "recorders": "office"},
    )
    assert choice.status_code == 400
    assert "每行一个" in choice.content.decode()


def test_an_imported_value_changes_the_verdict_without_code_or_restart(talent, make_user, login):
    assert _verdict(talent, "spouse-living-allowance").status == "missing"
    office = login(make_user("talent-office"))
    sheet = _sheet([["证件号码", "值", "生效日期"], [ID_A, "是", dt.date(2026, 1, 1)]])
    answer = office.post(
        "/policies/manage/facts/spouse_accompanying_unemployed/", {"action": "import", "file": sheet}
    )
    assert answer.status_code == 302
    row = RecordedValue.objects.get(talent=talent)
    assert row.source == ValueSource.IMPORT
    assert row.provenance.startswith("随迁配偶.xlsx")
    assert row.verified  # the office's own import
    verdict = _verdict(talent, "spouse-living-allowance")
    assert verdict.status in ("eligible", "excluded")  # the placement (worth more) may win the group
    assert _verdict(talent, "spouse-placement").status == "eligible"
    assert AuditEvent.objects.filter(action="office_fact.import").exists()


def test_a_bad_sheet_names_each_row_in_chinese_and_saves_nothing(talent, make_user, login):
    office = login(make_user("talent-office"))
    sheet = _sheet(
        [
            ["证件号码", "值", "生效日期"],
            [ID_A, "也许", "2026-01-01"],
            [ID_OTHER, "是", "2026-01-01"],
            [ID_A, "是", "明天"],
        ]
    )
    page = office.post(
        "/policies/manage/facts/spouse_accompanying_unemployed/", {"action": "import", "file": sheet}
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "第 2 行：请填写“是”或“否”" in text
    assert "第 3 行：您所管理的档案中没有此号码的人" in text
    assert "第 4 行" in text
    assert not RecordedValue.objects.exists()


def test_a_value_entered_by_park_staff_waits_for_the_office_where_it_must_be_verified(
    talent, make_user, login
):
    park = login(make_user("park-staff", "320115-P-KFQ"))
    answer = park.post(
        "/policies/manage/facts/spouse_accompanying_unemployed/",
        {"action": "record", "who": ID_A, "value": "是", "valid_from": "2026-01-01"},
    )
    assert answer.status_code == 302
    assert RecordedValue.objects.get(talent=talent).verified is False
    assert _verdict(talent, "spouse-living-allowance").status == "missing"  # not verified: not counted
    other_park = login(make_user("park-staff", "320115-P-GXQ"))
    refused = other_park.post(
        "/policies/manage/facts/spouse_accompanying_unemployed/",
        {"action": "record", "who": ID_A, "value": "是", "valid_from": "2026-01-01"},
    )
    assert refused.status_code == 400  # out of scope: nobody with this number in the archive they keep
    assert "您所管理的档案中没有此号码的人" in refused.content.decode()
    assert RecordedValue.objects.count() == 1


def test_a_fact_read_by_a_published_policy_cannot_be_removed(talent, make_user, login):
    office = login(make_user("talent-office"))
    answer = office.post(
        "/policies/manage/facts/spouse_accompanying_unemployed/", {"action": "remove"}, follow=True
    )
    assert "不能删除" in answer.content.decode()
    assert FactDefinition.objects.filter(key="spouse_accompanying_unemployed").exists()
    api = office.delete("/api/v1/policies/facts/spouse_accompanying_unemployed")
    assert api.status_code == 409
    define_fact(actor=None, key="unused_flag", label="未用", kind="bool")
    assert office.delete("/api/v1/policies/facts/unused_flag").status_code == 204
    refresh()
    assert FACTS.get("unused_flag") is None


def test_the_api_defines_and_records_in_scope(talent, make_user, login):
    office = login(make_user("talent-office"))
    made = office.post(
        "/api/v1/policies/facts",
        {"key": "gazelle_x", "label": "瞪羚（试）", "kind": "recognition", "target": "talent"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["keys"] == ["gazelle_x", "gazelle_x_ever", "gazelle_x_last_year", "gazelle_x_since"]
    recorded = office.post(
        "/api/v1/policies/facts/gazelle_x/values",
        {"who": ID_A, "valid_from": "2025-03-01", "valid_until": "2027-02-28"},
        content_type="application/json",
    )
    assert recorded.status_code == 201
    assert FACTS["gazelle_x"].get(talent, dt.date(2026, 1, 1)) is True
    assert FACTS["gazelle_x_last_year"].get(talent, dt.date(2026, 1, 1)) is True
    assert FACTS["gazelle_x_since"].get(talent, dt.date(2026, 1, 1)) == dt.date(2025, 3, 1)
    outside = login(make_user("park-staff", "320115-P-GXQ")).post(
        "/api/v1/policies/facts/gazelle_x/values",
        {"who": ID_A, "valid_from": "2025-03-01"},
        content_type="application/json",
    )
    assert outside.status_code in (403, 404)


def test_the_office_verifies_a_value_and_it_counts(talent, make_user, login):
    login(make_user("park-staff", "320115-P-KFQ")).post(
        "/policies/manage/facts/spouse_accompanying_unemployed/",
        {"action": "record", "who": ID_A, "value": "是", "valid_from": "2026-01-01"},
    )
    row = RecordedValue.objects.get(talent=talent)
    office = login(make_user("talent-office"))
    assert (
        office.post(
            "/policies/manage/facts/spouse_accompanying_unemployed/", {"action": "verify", "value": row.pk}
        ).status_code
        == 302
    )
    assert _verdict(talent, "spouse-placement").status == "eligible"
    assert AuditEvent.objects.filter(action="office_fact.verify").exists()


def test_the_sweep_reads_an_imported_value_through_its_generated_sql(talent, make_user, login):
    office = login(make_user("talent-office"))
    before = sweep()
    assert _granted(before, "spouse-placement") == 0
    sheet = _sheet([["证件号码", "值", "生效日期"], [ID_A, "是", "2026-01-01"]])
    office.post("/policies/manage/facts/spouse_accompanying_unemployed/", {"action": "import", "file": sheet})
    after = sweep()
    assert _granted(after, "spouse-placement") == 1  # the placement (6 万 a year) wins its group
    assert SweepResult.objects.get(run=after, policy_code="spouse-living-allowance").excluded == 1


def _granted(run, code):
    return SweepResult.objects.get(run=run, policy_code=code).granted

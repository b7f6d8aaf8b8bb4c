"""What policies say about a talent (issue #19): social insurance as runs of months (imported from the
social-insurance export or entered by staff, merged), children's birth dates derived from the family record,
the degree's mode and the contract term — read by the facts of the rule vocabulary."""

from __future__ import annotations

import datetime as dt

import pytest

from talentcloud.common.errors import ValidationFailed
from talentcloud.rules.facts import FACTS
from talentcloud.rules.logic import fact_values
from talentcloud.talents.authority import FileFactAdapter, facts_import
from talentcloud.talents.models import ChildBirth, ContributionPeriod, FactRecord, FamilyMember, Talent
from talentcloud.talents.services.archive import education_add, family_add
from talentcloud.talents.services.insurance import contribution_add, parse_run

pytestmark = pytest.mark.django_db
ID = "320115198503171233"


@pytest.fixture
def talent(units, kfq_firm):
    return Talent.objects.create(
        name="王小明",
        gender="M",
        birth_date=dt.date(1985, 3, 17),
        highest_degree="master",
        category="young",
        grade="B",
        employer=kfq_firm,
        id_number=ID,
    )


def _months(talent, key, on):
    return fact_values(talent, {key}, on)[key]  # as the engine reads them: afresh for each evaluation


def test_runs_of_months_are_read_as_policies_count_them(talent, make_user):
    office = make_user("talent-office")
    assert _months(talent, "si_continuous_months", dt.date(2026, 6, 30)) is None  # nothing recorded: unknown
    contribution_add(actor=office, talent=talent, months="2025-01~2025-06")
    contribution_add(actor=office, talent=talent, months="2026-04~")
    on = dt.date(2026, 6, 30)
    assert _months(talent, "si_continuous_months", on) == 3  # April, May, June: 满 3 个月
    assert _months(talent, "si_continuous_months", dt.date(2026, 3, 31)) == 0  # a gap in March
    assert _months(talent, "si_months_in_district", on) == 9
    # a run that touches both closes the gap: one unbroken run since January 2025
    contribution_add(actor=office, talent=talent, months="2025-07~2026-03")
    assert ContributionPeriod.objects.filter(talent=talent).count() == 1
    assert _months(talent, "si_continuous_months", on) == 18


def test_a_bad_run_is_refused_in_the_users_language(talent, make_user):
    with pytest.raises(ValidationFailed) as refused:
        contribution_add(actor=make_user("talent-office"), talent=talent, months="2026-05~2026-01")
    assert "最后一个月早于第一个月" in str(refused.value.fields["months"][0])
    assert parse_run("2024年3月~2024.5") == (2024 * 12 + 2, 2024 * 12 + 4)


def test_the_social_insurance_export_brings_runs_of_months(talent):
    csv = f"证件号码,事项,值,截至日期\n{ID},social_insurance_months,2025-12~,2026-06-30\n"
    report = facts_import(
        adapter=FileFactAdapter(data=csv.encode(), filename="si.csv", source_name="social_insurance")
    )
    assert (report.applied, report.errors) == (1, [])
    assert FactRecord.objects.get(key="social_insurance_months").source == "authority"
    assert _months(talent, "si_continuous_months", dt.date(2026, 6, 30)) == 7


def test_children_are_counted_from_their_birth_dates_only(talent, make_user):
    office = make_user("talent-office")
    family_add(actor=office, talent=talent, relation="child", name="王一", birth_date=dt.date(2023, 7, 1))
    family_add(actor=office, talent=talent, relation="child", name="王二", birth_date=dt.date(2015, 1, 1))
    family_add(actor=office, talent=talent, relation="spouse", name="李某", birth_date=dt.date(1986, 1, 1))
    assert ChildBirth.objects.filter(talent=talent).count() == 2
    assert FACTS["children_under_3"].get(talent, dt.date(2026, 6, 30)) == 1  # 2 周岁 11 months
    assert FACTS["children_under_3"].get(talent, dt.date(2026, 7, 1)) == 0  # the third birthday
    assert FACTS["children_under_15"].get(talent, dt.date(2026, 7, 1)) == 2
    FamilyMember.objects.filter(talent=talent, relation="child").order_by("pk")[0].delete()
    assert ChildBirth.objects.filter(talent=talent).count() == 1  # kept with the family record


def test_the_mode_of_the_highest_degree_and_the_contract_term(talent, make_user):
    office = make_user("talent-office")
    on = dt.date(2026, 6, 30)
    assert FACTS["highest_degree_full_time"].get(talent, on) is None
    education_add(actor=office, talent=talent, degree="bachelor", school="南京大学", full_time=False)
    education_add(actor=office, talent=talent, degree="master", school="东南大学", full_time=True)
    assert FACTS["highest_degree_full_time"].get(talent, on) is True
    talent.contract_term_months = 36
    assert FACTS["contract_term_months"].get(talent, on) == 36

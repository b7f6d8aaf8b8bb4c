"""The vocabulary of issue #19 read two ways that agree: every new fact kind (social insurance as runs of
months, the degree's mode, talent programme titles and their highest level, children's birth dates, the
contract term, figures of earlier years, compound growth and growth every year, certified talents' shares,
counts of an enterprise's hires) and every kind of office-defined fact (yes/no, number, date, choice,
recognition) — the Python getter against the generated SQL form, on generated rules and archives, unknown
values included, 500 cases each for talents and enterprises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentcloud.enterprises.models import AnnualReport, Enterprise, KeyPerson
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.policies.models import FactDefinition, FactKind, RecordedValue, Target, ValueSource
from talentcloud.policies.office_facts import define_fact, refresh
from talentcloud.policies.tests.test_agreement import PROGRAMME_CODES, SQL_VALUE, value_for
from talentcloud.rules.facts import FACTS, OPS_BY_TYPE, with_sql_facts
from talentcloud.rules.logic import evaluate, fact_values, facts_used, to_sql, validate
from talentcloud.talents.models import (
    ChildBirth,
    ContributionPeriod,
    Education,
    FamilyMember,
    Qualification,
    Talent,
    TalentProgramme,
    month_index,
)
from talentcloud.talents.programmes import programmes_install

pytestmark = pytest.mark.django_db

TALENT_KEYS = [
    "si_continuous_months",
    "si_months_in_district",
    "highest_degree_full_time",
    "children_under_3",
    "children_under_6",
    "children_under_15",
    "contract_term_months",
    "programme_titles",
    "programme_level",
    "v_flag",
    "v_score",
    "v_postdoc",
    "v_postdoc_ever",
    "v_postdoc_last_year",
    "v_postdoc_since",
]
ENTERPRISE_KEYS = [
    "revenue_2y_ago",
    "revenue_3y_ago",
    "rd_spend_3y_ago",
    "staff_2y_ago",
    "patents_3y_ago",
    "revenue_cagr_3y",
    "revenue_grew_each_year_3y",
    "certified_talent_share",
    "qualified_hires_last_year",
    "v_day",
    "v_level",
    "v_gazelle",
    "v_gazelle_ever",
    "v_gazelle_last_year",
    "v_gazelle_since",
]
days = st.integers(-800, 400)  # days from the evaluation date
maybe_days = st.none() | days


@pytest.fixture
def office_facts(units) -> dict[str, FactDefinition]:
    programmes_install()  # the register the programme facts read
    made = {
        "v_flag": define_fact(actor=None, key="v_flag", label="标记", kind=FactKind.YES_NO),
        "v_score": define_fact(
            actor=None, key="v_score", label="评分", kind=FactKind.NUMBER, unit="分", must_verify=True
        ),
        "v_postdoc": define_fact(actor=None, key="v_postdoc", label="博士后在站", kind=FactKind.RECOGNITION),
        "v_day": define_fact(
            actor=None, key="v_day", label="签约日", kind=FactKind.DATE, target=Target.ENTERPRISE
        ),
        "v_level": define_fact(
            actor=None,
            key="v_level",
            label="级别",
            kind=FactKind.CHOICE,
            target=Target.ENTERPRISE,
            choices="national 国家级 national\nprovincial 省级 provincial",
        ),
        "v_gazelle": define_fact(
            actor=None, key="v_gazelle", label="瞪羚企业", kind=FactKind.RECOGNITION, target=Target.ENTERPRISE
        ),
    }
    refresh()
    return made


@st.composite
def clauses(draw: Any, keys: list[str]) -> dict[str, Any]:
    fact = FACTS[draw(st.sampled_from(keys))]
    op = draw(st.sampled_from(OPS_BY_TYPE[fact.type]))
    if op in ("in", "not_in", "any_of"):
        value = draw(st.lists(value_for(fact), min_size=1, max_size=3))
    elif op == "between":
        low, high = sorted([draw(value_for(fact)), draw(value_for(fact))])
        value = [low, high]
    else:
        value = draw(value_for(fact))
    return {"fact": fact.key, "op": op, "value": value}


def rules_of(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.recursive(
        clauses(keys),
        lambda children: st.one_of(
            st.builds(lambda parts: {"all": parts}, st.lists(children, min_size=1, max_size=3)),
            st.builds(lambda parts: {"any": parts}, st.lists(children, min_size=1, max_size=3)),
            st.builds(lambda part: {"not": part}, children),
        ),
        max_leaves=5,
    )


@st.composite
def runs(draw: Any) -> list[tuple[int, int | None]]:
    """Runs of months relative to the evaluation month: never overlapping nor touching (as the service keeps
    them), the last perhaps still paid."""
    found: list[tuple[int, int | None]] = []
    start = draw(st.integers(-60, 3))
    for _index in range(draw(st.integers(0, 3))):
        length = draw(st.integers(1, 30))
        found.append((start, start + length - 1))
        start += length + draw(st.integers(1, 6))
    if found and draw(st.booleans()):
        found[-1] = (found[-1][0], None)
    return found


@st.composite
def people(draw: Any) -> dict[str, Any]:
    return {
        "highest_degree": draw(st.sampled_from(["", "bachelor", "master", "doctor"])),
        "grade": draw(st.sampled_from(["", "A", "C", "D", "E"])),
        "contract_term_months": draw(st.none() | st.integers(0, 80)),
        "arrived": draw(st.none() | st.integers(-800, 10)),
        "runs": draw(runs()),
        "children": draw(st.lists(st.integers(-6000, 30), max_size=3)),
        "education": draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["bachelor", "master", "doctor"]),
                    st.none() | st.integers(-4000, 0),
                    st.none() | st.booleans(),
                ),
                max_size=2,
            )
        ),
        "flag": draw(st.lists(st.tuples(days, st.booleans()), max_size=2)),
        "score": draw(
            st.lists(
                st.tuples(days, st.integers(-5, 90), st.booleans()), max_size=2
            )  # (from, value, verified)
        ),
        "postdoc": draw(st.lists(st.tuples(days, maybe_days), max_size=2)),
        # talent programme titles: (programme, year of selection relative to the day's year, or None)
        "titles": draw(
            st.lists(st.tuples(st.sampled_from(PROGRAMME_CODES), st.none() | st.integers(-3, 2)), max_size=3)
        ),
    }


def _month(on: dt.date, offset: int) -> int:
    return month_index(on) + offset


def make_talent(person: dict[str, Any], on: dt.date, employer: Any = None) -> Talent:
    talent = Talent.objects.create(
        name="甲",
        gender="M",
        birth_date=dt.date(1990, 1, 1),
        category="young",
        highest_degree=person["highest_degree"],
        grade=person["grade"],
        contract_term_months=person["contract_term_months"],
        employer=employer,
        arrived_on=on + dt.timedelta(days=person["arrived"]) if person["arrived"] is not None else None,
    )
    for first, last in person["runs"]:
        ContributionPeriod.objects.create(
            talent=talent,
            first_month=_month(on, first),
            last_month=_month(on, last) if last is not None else None,
            source="staff",
        )
    for offset in person["children"]:
        member = FamilyMember.objects.create(talent=talent, relation="child", name="子")
        ChildBirth.objects.create(talent=talent, member=member, birth_date=on + dt.timedelta(days=offset))
    for code, year in person["titles"]:
        Qualification.objects.create(
            talent=talent,
            kind="programme",
            programme=TalentProgramme.objects.get(code=code),
            name=code,
            year=on.year + year if year is not None else None,
        )
    for degree, graduated, full_time in person["education"]:
        Education.objects.create(
            talent=talent,
            degree=degree,
            school="某大学",
            graduated_on=on + dt.timedelta(days=graduated) if graduated is not None else None,
            full_time=full_time,
        )
    return talent


def _values(
    definition: FactDefinition, subject: dict[str, Any], on: dt.date, rows: list[dict[str, Any]]
) -> None:
    for row in rows:
        RecordedValue.objects.create(definition=definition, **subject, source=ValueSource.STAFF, **row)


def _day(on: dt.date, offset: int | None) -> dt.date | None:
    return on + dt.timedelta(days=offset) if offset is not None else None


def _agree(rule: dict[str, Any], subjects: list[Any], queryset: Any, on: dt.date) -> None:
    expression = ExpressionWrapper(to_sql(rule, {}, on), output_field=BooleanField())
    in_sql = dict(
        with_sql_facts(queryset.filter(pk__in=[s.pk for s in subjects]), on)
        .annotate(ok=expression)
        .values_list("pk", "ok")
    )
    for subject in subjects:
        python = evaluate(rule, fact_values(subject, facts_used(rule), on), {}, on=on).status
        assert SQL_VALUE[in_sql[subject.pk]] == python, (rule, on)


SETTINGS = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
on_dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


@SETTINGS
@given(data=st.data(), crowd=st.lists(people(), min_size=1, max_size=3), on=on_dates)
def test_new_talent_facts_agree(office_facts, data, crowd, on):
    rule = data.draw(rules_of(TALENT_KEYS))
    assert validate(rule) == []
    with transaction.atomic():
        made = []
        for person in crowd:
            talent = make_talent(person, on)
            who = {"talent": talent}
            _values(
                office_facts["v_flag"],
                who,
                on,
                [{"valid_from": _day(on, d), "value_bool": v} for d, v in person["flag"]],
            )
            _values(
                office_facts["v_score"],
                who,
                on,
                [
                    {"valid_from": _day(on, d), "value_number": Decimal(v), "verified": ok}
                    for d, v, ok in person["score"]
                ],
            )
            _values(
                office_facts["v_postdoc"],
                who,
                on,
                [
                    {
                        "valid_from": _day(on, d),
                        "valid_until": _day(on, d + until) if until is not None else None,
                    }
                    for d, until in person["postdoc"]
                    if until is None or until >= 0
                ],
            )
            made.append(talent)
        _agree(rule, made, Talent.objects.all(), on)
        transaction.set_rollback(True)


money = st.none() | st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def enterprises(draw: Any) -> dict[str, Any]:
    return {
        "reports": [(back, figure) for back in (1, 2, 3) if (figure := draw(money)) is not None],
        "staff": draw(
            st.lists(st.tuples(people(), st.none() | st.decimals(0, 60, places=2), st.booleans()), max_size=3)
        ),  # (person, share, key person?)
        "day": draw(st.lists(st.tuples(days, days), max_size=2)),
        "level": draw(st.lists(st.tuples(days, st.sampled_from(["national", "provincial", ""])), max_size=2)),
        "gazelle": draw(st.lists(st.tuples(days, maybe_days), max_size=2)),
    }


@SETTINGS
@given(data=st.data(), crowd=st.lists(enterprises(), min_size=1, max_size=2), on=on_dates)
def test_new_enterprise_facts_agree(office_facts, data, crowd, on):
    rule = data.draw(rules_of(ENTERPRISE_KEYS))
    assert validate(rule, target="enterprise") == []
    with transaction.atomic():
        made = []
        for index, firm in enumerate(crowd):
            enterprise = EnterpriseFactory.create(
                name=f"企业{index}", credit_code=f"91320115MA1X2Y3W{index:02d}"
            )
            for back, revenue in firm["reports"]:
                AnnualReport.objects.create(
                    enterprise=enterprise,
                    year=on.year - back,
                    revenue=revenue,
                    rd_spend=revenue / 10,
                    staff=int(revenue) % 300,
                    patents=int(revenue) % 17,
                )
            for person, share, key in firm["staff"]:
                talent = make_talent(person, on, employer=enterprise)
                if key:
                    KeyPerson.objects.create(enterprise=enterprise, talent=talent, role="股东", share=share)
            who = {"enterprise": enterprise}
            _values(
                office_facts["v_day"],
                who,
                on,
                [{"valid_from": _day(on, d), "value_date": _day(on, v)} for d, v in firm["day"]],
            )
            _values(
                office_facts["v_level"],
                who,
                on,
                [{"valid_from": _day(on, d), "value_choice": v} for d, v in firm["level"]],
            )
            _values(
                office_facts["v_gazelle"],
                who,
                on,
                [
                    {
                        "valid_from": _day(on, d),
                        "valid_until": _day(on, d + until) if until is not None else None,
                    }
                    for d, until in firm["gazelle"]
                    if until is None or until >= 0
                ],
            )
            made.append(enterprise)
        _agree(rule, made, Enterprise.objects.all(), on)
        transaction.set_rollback(True)


NEW_DECLARED = {  # the vocabulary of #19 the apps declare; each is drawn from by the tests above
    "si_continuous_months",
    "si_months_in_district",
    "highest_degree_full_time",
    "children_under_3",
    "children_under_6",
    "children_under_15",
    "contract_term_months",
    "programme_titles",
    "programme_level",
    "certified_talent_share",
    "qualified_hires_last_year",
    "revenue_2y_ago",
    "revenue_3y_ago",
    "rd_spend_2y_ago",
    "rd_spend_3y_ago",
    "staff_2y_ago",
    "staff_3y_ago",
    "patents_2y_ago",
    "patents_3y_ago",
    "revenue_cagr_3y",
    "revenue_grew_each_year_3y",
}


def test_every_fact_kind_is_drawn_from(office_facts):
    """Every kind of the new vocabulary — and of the office's facts — is among the keys the rules above are
    drawn from (one figure of each earlier-year kind stands for the rest: they share one reading)."""
    drawn = set(TALENT_KEYS + ENTERPRISE_KEYS)
    assert NEW_DECLARED - drawn <= {"rd_spend_2y_ago", "staff_3y_ago", "patents_2y_ago"}
    assert {FACTS[k].type for k in drawn} == {"bool", "int", "enum", "date", "tags"}
    assert all(k in FACTS for k in drawn)

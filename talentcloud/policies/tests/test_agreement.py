"""The two compilations of one rule agree: the Python evaluator (one person, with reasons) and the SQL
expression (everyone at once), on generated rules and generated archives, with unknown facts included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentcloud.enterprises.models import AnnualReport, Enterprise
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.rules.facts import BOOL, DATE, INT, OPS_BY_TYPE, TAGS, facts_for, with_sql_facts
from talentcloud.rules.logic import (
    FALSE,
    TRUE,
    UNKNOWN,
    evaluate,
    fact_values,
    facts_used,
    to_sql,
    validate,
)
from talentcloud.talents.models import Talent
from talentcloud.talents.programmes import SHIPPED, programmes_install

pytestmark = pytest.mark.django_db

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31))
maybe_dates = st.none() | dates
TAG_NAMES = ["海归", "博士后", "创业", "O'Brien"]
PROGRAMME_CODES = [code for code, *_rest in SHIPPED]


def value_for(fact: Any) -> st.SearchStrategy[Any]:
    if fact.type == BOOL:
        return st.booleans()
    if fact.type == INT:
        return st.integers(min_value=-1, max_value=80)
    if fact.type == TAGS:  # a register's codes where the fact reads one (the talent programmes)
        return st.sampled_from(PROGRAMME_CODES if fact.choices_from is not None else TAG_NAMES)
    if fact.type == DATE:  # a period; short ones so that anniversaries, month ends and 29 February are met
        return st.one_of(
            st.builds(lambda n: {"years": n}, st.integers(0, 40)),
            st.builds(lambda n: {"months": n}, st.integers(0, 30)),
            st.builds(lambda n: {"days": n}, st.integers(0, 400)),
        )
    return st.sampled_from([c for c, _label in fact.choices])


@st.composite
def clauses(draw: Any, target: str = "talent") -> dict[str, Any]:
    facts = facts_for(target)
    fact = facts[draw(st.sampled_from(sorted(facts)))]
    op = draw(st.sampled_from(OPS_BY_TYPE[fact.type]))
    if op in ("in", "not_in", "any_of"):
        value = draw(st.lists(value_for(fact), min_size=1, max_size=3))
    elif op == "between":
        low, high = sorted([draw(value_for(fact)), draw(value_for(fact))])
        value = [low, high]
    else:
        value = draw(value_for(fact))
    clause = {"fact": fact.key, "op": op, "value": value}
    if fact.type == DATE and draw(st.booleans()):  # as of a date the policy text names
        clause["as_of"] = draw(dates).isoformat()
    return clause


def rules_about(target: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.recursive(
        clauses(target),
        lambda children: st.one_of(
            st.builds(lambda parts: {"all": parts}, st.lists(children, min_size=1, max_size=3)),
            st.builds(lambda parts: {"any": parts}, st.lists(children, min_size=1, max_size=3)),
            st.builds(lambda part: {"not": part}, children),
        ),
        max_leaves=6,
    )


rules = rules_about("talent")


@st.composite
def people(draw: Any) -> dict[str, Any]:
    return {
        "birth_date": draw(dates),
        "gender": draw(st.sampled_from(["M", "F"])),
        "highest_degree": draw(st.sampled_from(["", "junior_college", "bachelor", "master", "doctor"])),
        "category": draw(st.sampled_from(["", "young", "high_level", "top_expert"])),
        "grade": draw(st.sampled_from(["", "A", "B", "C", "D", "E", "F"])),
        "tier": draw(st.sampled_from(["", "peak", "pioneer", "gathering", "elite"])),
        "owns_home_in_city": draw(st.none() | st.booleans()),
        "graduated_on": draw(maybe_dates),
        "social_insurance_since": draw(maybe_dates),
        "arrived_on": draw(maybe_dates),
        "employed": draw(st.booleans()),
        "tags": draw(st.lists(st.sampled_from(TAG_NAMES), max_size=3, unique=True)),
    }


@pytest.fixture
def employer(units):
    programmes_install()  # the register the programme facts' rules name
    return EnterpriseFactory.create(name="合议企业", credit_code="91320115MA1X2Y3W4K")


SQL_VALUE = {True: TRUE, False: FALSE, None: UNKNOWN}  # SQLite's 1 and 0 are equal to True and False


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rule=rules, crowd=st.lists(people(), min_size=1, max_size=4), on=dates)
def test_python_and_sql_agree(employer, rule, crowd, on):
    assert validate(rule) == []
    with transaction.atomic():
        made = []
        for person in crowd:
            employed = person.pop("employed")
            made.append(Talent.objects.create(name="甲", employer=employer if employed else None, **person))
        expression = ExpressionWrapper(to_sql(rule, {}, on), output_field=BooleanField())
        in_sql = dict(
            Talent.objects.filter(pk__in=[t.pk for t in made]).annotate(ok=expression).values_list("pk", "ok")
        )
        for talent in made:
            python = evaluate(rule, fact_values(talent, facts_used(rule), on), {}, on=on).status
            assert SQL_VALUE[in_sql[talent.pk]] == python, (rule, talent.__dict__, on)
        transaction.set_rollback(True)


money = st.none() | st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def enterprises(draw: Any) -> dict[str, Any]:
    """An enterprise and its reports for the two years before the evaluation year (either may be missing;
    revenue 0 makes a ratio unknown)."""
    return {
        "founded_on": draw(maybe_dates),
        "in_park": draw(st.booleans()),
        "reports": [
            (back, revenue, draw(money) or Decimal(0), draw(st.integers(0, 500)), draw(st.integers(0, 50)))
            for back in (1, 2)
            if (revenue := draw(money)) is not None
        ],
    }


def make_enterprises(crowd: list[dict[str, Any]], units: Any, on: dt.date) -> list[Enterprise]:
    """The generated enterprises, each with its annual reports (years counted back from ``on``)."""
    made = []
    for index, firm in enumerate(crowd):
        enterprise = EnterpriseFactory.create(
            name=f"企业{index}",
            credit_code=f"91320115MA1X2Y3W{index:02d}",
            park=units["320115-P-KFQ"] if firm["in_park"] else None,
            founded_on=firm["founded_on"],
        )
        for back, revenue, rd_spend, staff, patents in firm["reports"]:
            AnnualReport.objects.create(
                enterprise=enterprise,
                year=on.year - back,
                revenue=revenue,
                rd_spend=rd_spend,
                staff=staff,
                patents=patents,
            )
        made.append(enterprise)
    return made


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rule=rules_about("enterprise"), crowd=st.lists(enterprises(), min_size=1, max_size=3), on=dates)
def test_python_and_sql_agree_for_enterprises(units, rule, crowd, on):
    assert validate(rule, target="enterprise") == []
    with transaction.atomic():
        made = make_enterprises(crowd, units, on)
        expression = ExpressionWrapper(to_sql(rule, {}, on), output_field=BooleanField())
        in_sql = dict(
            with_sql_facts(Enterprise.objects.filter(pk__in=[e.pk for e in made]), on)
            .annotate(ok=expression)
            .values_list("pk", "ok")
        )
        for enterprise in made:
            python = evaluate(rule, fact_values(enterprise, facts_used(rule), on), {}, on=on).status
            assert SQL_VALUE[in_sql[enterprise.pk]] == python, (rule, crowd, on)
        transaction.set_rollback(True)

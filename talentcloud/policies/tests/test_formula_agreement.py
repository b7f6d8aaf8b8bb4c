"""Amounts as formulas (``policies.formulas``) agree in their two forms: computed for one person in Python
(with the computation in words) and for everyone in SQL (the sweep's and the simulation's), to the fen, on
generated formulas of every form, generated periods and generated archives with unknown figures included.
With the date operators of ``test_agreement`` this covers every operator and formula issue #18 added."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import BigIntegerField, ExpressionWrapper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentcloud.enterprises.models import Enterprise
from talentcloud.policies.engine import benefit_amount, validate_benefit
from talentcloud.policies.formulas import FORMS, amount_facts, figures, yearly_fen_sql
from talentcloud.policies.tests.test_agreement import (  # noqa: F401 (employer: a fixture)
    clauses,
    employer,
    make_enterprises,
    people,
)
from talentcloud.rules.facts import with_sql_facts
from talentcloud.rules.logic import fact_values
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
yuan = st.integers(0, 3_000_000) | st.sampled_from([0, 1, 99.99, 0.01, 500000, 2000000])
percents = st.sampled_from([0, 1, 2.5, 5, 10, 12.75, 20, 33.33, 100])


def _formula(target: str) -> st.SearchStrategy[Any]:
    numbers = figures(target)
    leaves: list[st.SearchStrategy[Any]] = [yuan]
    if numbers:
        leaves.append(st.builds(lambda key: {"fact": key}, st.sampled_from(numbers)))
        leaves.append(
            st.builds(
                lambda key, per, most: {"per": per, "units": key, **({"max_units": most} if most else {})},
                st.sampled_from(numbers),
                st.integers(0, 50000),
                st.none() | st.integers(0, 30),
            )
        )
    if target == "talent":
        leaves.append(
            st.builds(
                lambda table, default: {"by": "highest_degree", "table": table, **default},
                st.dictionaries(st.sampled_from(["bachelor", "master", "doctor"]), yuan, min_size=1),
                st.sampled_from([{}, {"default": 100}]),
            )
        )

    def bounded(node: Any, floor: Any, cap: Any) -> Any:
        if not isinstance(node, dict):
            return node
        return {
            **node,
            **({"floor": floor} if floor is not None else {}),
            **({"cap": cap} if cap is not None else {}),
        }

    def grow(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        forms = [
            st.builds(lambda p, of: {"percent": p, "of": of}, percents, children),
            st.builds(lambda parts: {"sum": parts}, st.lists(children, min_size=1, max_size=3)),
            st.builds(lambda a, b: {"difference": [a, b]}, children, children),
            st.builds(
                lambda up, base, when: {"uplift": up, "base": base, "when": when},
                percents,
                children,
                clauses(target),
            ),
            st.builds(bounded, children, st.none() | yuan, st.none() | yuan),
        ]
        if numbers:
            forms.append(
                st.builds(
                    lambda key, rows: {
                        "bands": key,
                        "rows": [{"from": low, "amount": a} for low, a in sorted(rows, key=lambda r: r[0])],
                    },
                    st.sampled_from(numbers),
                    st.lists(st.tuples(st.integers(-5, 3000), children), min_size=1, max_size=3),
                )
            )
        return st.one_of(*forms)

    return st.recursive(st.one_of(*leaves), grow, max_leaves=5)


periods = st.sampled_from(
    [
        {"period": "once"},
        {"period": "year"},
        {"period": "year", "years": 3},
        {"period": "month", "months": 36},
        {"period": "month", "months": 7},
        {"period": "tranches", "shares": [40, 30, 30]},
        {"period": "tranches", "shares": [33, 67]},
    ]
)


def _python_yearly(benefit: dict[str, Any], subject: Any, on: dt.date) -> int | None:
    facts = fact_values(subject, amount_facts(benefit["amount"]), on)
    money = benefit_amount(benefit, facts, on, {})
    return None if money is None else int(money.yearly * 100)


def test_every_form_is_generated():
    assert set(FORMS) == {"by", "bands", "percent", "fact", "sum", "difference", "per", "uplift"}


money = st.none() | st.decimals(
    min_value=-50, max_value=5000, places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def firms(draw: Any) -> dict[str, Any]:
    return {
        "founded_on": draw(st.none() | dates),
        "in_park": draw(st.booleans()),
        "reports": [
            (back, revenue, draw(money) or Decimal(0), draw(st.integers(0, 500)), draw(st.integers(0, 50)))
            for back in (1, 2)
            if (revenue := draw(money)) is not None
        ],
    }


@settings(
    max_examples=350,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    amount=_formula("enterprise"), period=periods, crowd=st.lists(firms(), min_size=1, max_size=3), on=dates
)
def test_enterprise_amounts_agree_in_python_and_sql(units, amount, period, crowd, on):
    benefit = {"kind": "money", "amount": amount, **period}
    assert validate_benefit(benefit, "enterprise") == []
    with transaction.atomic():
        made = make_enterprises(crowd, units, on)
        expression = ExpressionWrapper(yearly_fen_sql(benefit, {}, on), output_field=BigIntegerField())
        in_sql = dict(
            with_sql_facts(Enterprise.objects.filter(pk__in=[e.pk for e in made]), on)
            .annotate(fen=expression)
            .values_list("pk", "fen")
        )
        for enterprise in made:
            assert _python_yearly(benefit, enterprise, on) == in_sql[enterprise.pk], (benefit, crowd, on)
        transaction.set_rollback(True)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(amount=_formula("talent"), period=periods, crowd=st.lists(people(), min_size=1, max_size=3), on=dates)
def test_talent_amounts_agree_in_python_and_sql(employer, amount, period, crowd, on):  # noqa: F811
    benefit = {"kind": "money", "amount": amount, **period}
    assert validate_benefit(benefit, "talent") == []
    with transaction.atomic():
        made = []
        for person in crowd:
            person = dict(person)
            employed = person.pop("employed")
            made.append(Talent.objects.create(name="甲", employer=employer if employed else None, **person))
        expression = ExpressionWrapper(yearly_fen_sql(benefit, {}, on), output_field=BigIntegerField())
        in_sql = dict(
            Talent.objects.filter(pk__in=[t.pk for t in made])
            .annotate(fen=expression)
            .values_list("pk", "fen")
        )
        for talent in made:
            assert _python_yearly(benefit, talent, on) == in_sql[talent.pk], (benefit, on)
        transaction.set_rollback(True)

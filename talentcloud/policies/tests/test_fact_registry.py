"""The facts the apps declare (talents/facts.py, enterprises/facts.py), in the order the calculator asks them
and the editor lists them."""

from __future__ import annotations

from django.utils import translation

from talentcloud.policies.editor import fact_menu
from talentcloud.rules.facts import FACTS, facts_for

TALENT_FACTS = [
    "age",
    "gender",
    "highest_degree",
    "degree_rank",
    "years_since_graduation",
    "social_insurance_years",
    "years_in_district",
    "grade",
    "category",
    "tier",
    "birth_date",
    "graduated_on",
    "social_insurance_since",
    "arrived_on",
    "tags",
    "owns_home_in_city",
    "employed_in_district",
]
ENTERPRISE_FACTS = [
    "enterprise_years",
    "founded_on",
    "in_park",
    "revenue",
    "rd_spend",
    "staff",
    "patents",
    "revenue_growth",
    "rd_intensity",
]


def test_every_app_declared_fact_in_its_order():
    assert list(FACTS) == TALENT_FACTS + ENTERPRISE_FACTS
    assert list(facts_for("talent")) == TALENT_FACTS
    assert list(facts_for("enterprise")) == ENTERPRISE_FACTS


def test_the_editors_fact_list_keeps_its_labels():
    with translation.override("en"):
        menu = fact_menu("talent")
    assert [key for key, _label, _kind in menu] == TALENT_FACTS
    assert menu[0][1] == "age"
    assert menu[3][1] == "degree level (1 junior college … 4 doctor)"
    with translation.override("en"):
        assert [label for _key, label, _kind in fact_menu("enterprise")][-1] == (
            "R&D spend as a share of revenue last year"
        )

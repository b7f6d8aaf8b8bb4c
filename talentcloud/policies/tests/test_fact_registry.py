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
    "si_continuous_months",
    "si_months_in_district",
    "highest_degree_full_time",
    "children_under_3",
    "children_under_6",
    "children_under_15",
    "contract_term_months",
    "programme_titles",
    "programme_level",
]
# Enterprise facts that read the enterprise's talents are declared by the talents app (it may read
# enterprises, not the reverse), so they come first among the enterprise facts.
ENTERPRISE_FACTS_FROM_TALENTS = ["certified_talent_share", "qualified_hires_last_year"]
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
]


def test_every_app_declared_fact_in_its_order():
    assert list(FACTS) == TALENT_FACTS + ENTERPRISE_FACTS_FROM_TALENTS + ENTERPRISE_FACTS
    assert list(facts_for("talent")) == TALENT_FACTS
    assert list(facts_for("enterprise")) == ENTERPRISE_FACTS_FROM_TALENTS + ENTERPRISE_FACTS


def test_the_editors_fact_list_keeps_its_labels():
    with translation.override("en"):
        menu = fact_menu("talent")
    assert [key for key, _label, _kind in menu] == TALENT_FACTS
    assert menu[0][1] == "age"
    assert menu[3][1] == "degree level (1 junior college … 4 doctor)"
    with translation.override("en"):
        assert [label for _key, label, _kind in fact_menu("enterprise")][-1] == (
            "revenue grew every year of the last three"
        )

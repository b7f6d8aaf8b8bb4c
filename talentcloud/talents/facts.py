"""The facts about a talent that rules may read (discovered by ``talentcloud.rules.facts``; the calculator
asks them in this order)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.expressions import Expression
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentcloud.rules.facts import (
    BOOL,
    ENUM,
    INT,
    TAGS,
    Fact,
    FactSubject,
    Not,
    column_fact,
    compare_column,
    date_fact,
    years_fact,
)

from .enums import CertificationGrade, Degree, Gender, ProgrammeTier, PyramidCategory
from .models import Talent

DEGREE_RANK = {Degree.JUNIOR_COLLEGE: 1, Degree.BACHELOR: 2, Degree.MASTER: 3, Degree.DOCTOR: 4}


def _degree_rank_sql(op: str, value: Any, on: date) -> Expression:
    rank = Case(
        *[When(highest_degree=degree, then=Value(n)) for degree, n in DEGREE_RANK.items()],
        default=None,
        output_field=IntegerField(),
    )
    return compare_column(rank, op, value)


FACT_SUBJECTS = [FactSubject("talent", Talent, _("talents"))]

FACTS = [
    years_fact("age", _("age"), "birth_date", unit=pgettext_lazy("age", " years"), words="age"),  # 岁, not 年
    column_fact("gender", _("gender"), "gender", ENUM, choices=tuple(Gender.choices)),
    column_fact("highest_degree", _("highest degree"), "highest_degree", ENUM, choices=tuple(Degree.choices)),
    Fact(
        "degree_rank",
        _("degree level (1 junior college … 4 doctor)"),
        INT,
        lambda talent, on: DEGREE_RANK.get(talent.highest_degree),
        _degree_rank_sql,
        levels=tuple((rank, Degree(degree).label) for degree, rank in DEGREE_RANK.items()),
        plain_label=_("highest degree"),  # said as the degree: "最高学历为硕士及以上"
    ),
    years_fact("years_since_graduation", _("years since graduation"), "graduated_on"),
    years_fact(
        "social_insurance_years", _("years of social insurance in the district"), "social_insurance_since"
    ),
    years_fact("years_in_district", _("years in the district"), "arrived_on"),
    column_fact("grade", _("certification grade"), "grade", ENUM, choices=tuple(CertificationGrade.choices)),
    column_fact("category", _("pyramid category"), "category", ENUM, choices=tuple(PyramidCategory.choices)),
    column_fact("tier", _("programme tier"), "tier", ENUM, choices=tuple(ProgrammeTier.choices)),
    # The dates themselves, read with a period as policy texts say it (ADR 0017): "不超过 35 周岁" (before
    # the 36th birthday), "毕业 3 年以内" (the third anniversary included), "来区届满 1 年".
    date_fact("birth_date", _("birth date"), "birth_date", _("birth"), words="age"),
    date_fact("graduated_on", _("graduation date"), "graduated_on", _("graduated")),
    date_fact(
        "social_insurance_since",
        _("first social insurance in the district"),
        "social_insurance_since",
        _("social insurance in the district began"),
    ),
    date_fact("arrived_on", _("arrival in the district"), "arrived_on", _("arrived in the district")),
    Fact(  # the labels the talent office gave the person; never unknown (no tag is an empty list)
        "tags",
        _("tags"),
        TAGS,
        lambda talent, on: list(talent.tags or []),
        lambda op, value, on: compare_column(F("tags"), op, value),
        column="tags",
        words="tags",
    ),
    column_fact(
        "owns_home_in_city",
        _("owns a home in the city"),
        "owns_home_in_city",
        BOOL,
        blank_is_unknown=False,
        phrases=((True, _("owns a home in the city")), (False, _("owns no home in the city"))),
    ),
    Fact(
        "employed_in_district",
        _("employed by an enterprise of the district"),
        BOOL,
        lambda talent, on: talent.employer_id is not None,
        lambda op, value, on: compare_column(Not(IsNull(F("employer"), True)), op, value),
        phrases=(
            (True, _("works for an enterprise registered in the district")),
            (False, _("does not work for an enterprise registered in the district")),
        ),
    ),
]

"""The facts about a talent that rules may read (discovered by ``talentcloud.rules.facts``; the calculator
asks them in this order) — and the facts about an enterprise that read its talents (its key people's shares,
its hires), declared here because this app may read enterprises and not the other way round.

Facts from rows beside the talent (contribution periods, children's birth dates, education, key people) read
them by a subquery correlated with the subject's row: the Python getter and the SQL form ask the same rows
the same question (``policies/tests/test_agreement.py`` proves it on both databases).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, Least, Round, RowNumber
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentcloud.enterprises.models import KeyPerson
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
    years_before,
    years_fact,
)
from talentcloud.rules.logic import TRUE, evaluate, fact_values, facts_used, to_sql

from .enums import (
    CertificationGrade,
    Degree,
    Gender,
    ProgrammeLevel,
    ProgrammeTier,
    PyramidCategory,
    QualificationKind,
)
from .models import (
    ChildBirth,
    ContributionPeriod,
    Education,
    Qualification,
    Talent,
    month_index,
)
from .permissions import TalentPerm
from .programmes import LEVEL_ORDER, level_rank, programmes

DEGREE_RANK = {Degree.JUNIOR_COLLEGE: 1, Degree.BACHELOR: 2, Degree.MASTER: 3, Degree.DOCTOR: 4}


def _degree_rank(on: date) -> Expression:
    return Case(
        *[When(highest_degree=degree, then=Value(n)) for degree, n in DEGREE_RANK.items()],
        default=None,
        output_field=IntegerField(),
    )


def _degree_rank_sql(op: str, value: Any, on: date) -> Expression:
    return compare_column(_degree_rank(on), op, value)


FACT_SUBJECTS = [FactSubject("talent", Talent, _("talents"))]


def _pk(subject: Any) -> Any:
    """The subject's key (None for one not saved: the boundary cases' archives, which have no rows)."""
    return getattr(subject, "pk", None)


def _int_fact(
    key: str, label: Any, getter: Any, value_sql: Any, unit: Any = "", target: str = "talent", **more: Any
) -> Fact:
    """A whole number read by ``getter`` and, in SQL, by ``value_sql(on)`` (also what an amount may count)."""
    return Fact(
        key,
        label,
        INT,
        getter,
        lambda op, value, on: compare_column(value_sql(on), op, value),
        unit=unit,
        target=target,
        value_sql=value_sql,
        **more,
    )


# --- social insurance: runs of months paid in the district (``models.ContributionPeriod``) ---------------


def _runs(talent: Any) -> list[tuple[int, int | None]]:
    cache = talent.__dict__.setdefault("_fact_cache", {})
    if "runs" not in cache:
        cache["runs"] = list(
            ContributionPeriod.objects.filter(talent_id=_pk(talent)).values_list("first_month", "last_month")
        )
    return cache["runs"]


def _continuous_months(talent: Any, on: date) -> int | None:
    """The months of the unbroken run that includes the month of ``on``, that month counted; 0 when no run
    includes it; unknown when no period was ever recorded."""
    runs = _runs(talent)
    if not runs:
        return None
    month = month_index(on)
    covering = [first for first, last in runs if first <= month and (last is None or last >= month)]
    return month - max(covering) + 1 if covering else 0


def _months_in_district(talent: Any, on: date) -> int | None:
    """Every month paid in the district up to the month of ``on``; unknown when nothing was recorded."""
    runs = _runs(talent)
    if not runs:
        return None
    month = month_index(on)
    return sum(
        min(month if last is None else last, month) - first + 1 for first, last in runs if first <= month
    )


def _periods() -> Any:
    return ContributionPeriod.objects.filter(talent=OuterRef("pk")).order_by()


def _recorded_sql(value: Any, fallback: Any) -> Expression:
    """``value`` (``fallback`` when NULL) for a talent with a period recorded; NULL (unknown) for the
    others."""
    return Case(
        When(Exists(_periods()), then=Coalesce(value, Value(fallback))),
        default=Value(None),
        output_field=IntegerField(),
    )


def _continuous_months_sql(on: date) -> Expression:
    month = month_index(on)
    first = Subquery(
        _periods()
        .filter(Q(first_month__lte=month) & (Q(last_month__isnull=True) | Q(last_month__gte=month)))
        .order_by("-first_month")
        .values("first_month")[:1],
        output_field=IntegerField(),
    )
    return _recorded_sql(Value(month + 1) - first, 0)


def _months_in_district_sql(on: date) -> Expression:
    month = month_index(on)
    months = Least(Coalesce(F("last_month"), Value(month)), Value(month)) - F("first_month") + Value(1)
    total = Subquery(
        _periods()
        .filter(first_month__lte=month)
        .values("talent")
        .annotate(total=Sum(months, output_field=IntegerField()))
        .values("total"),
        output_field=IntegerField(),
    )
    return _recorded_sql(total, 0)


def _continuous_months_rows(on: date, path: str) -> Any:
    """Per talent with a period recorded, the continuous months (set-based: one GROUP BY)."""
    month = month_index(on)
    covering = Q(first_month__lte=month) & (Q(last_month__isnull=True) | Q(last_month__gte=month))
    latest = Max("first_month", filter=covering)
    value = Coalesce(Value(month + 1) - latest, Value(0), output_field=IntegerField())
    return ContributionPeriod.objects.order_by().values(rn=F(f"talent__{path}")).annotate(rv=value)


def _months_in_district_rows(on: date, path: str) -> Any:
    """Per talent with a period recorded, the months paid up to the month of ``on`` (one GROUP BY)."""
    month = month_index(on)
    months = Least(Coalesce(F("last_month"), Value(month)), Value(month)) - F("first_month") + Value(1)
    total = Sum(months, filter=Q(first_month__lte=month), output_field=IntegerField())
    value = Coalesce(total, Value(0), output_field=IntegerField())
    return ContributionPeriod.objects.order_by().values(rn=F(f"talent__{path}")).annotate(rv=value)


# --- education: was the highest degree full-time (全日制) -------------------------------------------------


def _highest_education() -> Any:
    return Education.objects.filter(talent=OuterRef("pk"), degree=OuterRef("highest_degree")).order_by(
        F("graduated_on").desc(nulls_last=True), "-id"
    )


def _full_time(talent: Any, on: date) -> bool | None:
    return (
        Education.objects.filter(talent_id=_pk(talent), degree=talent.highest_degree)
        .order_by(F("graduated_on").desc(nulls_last=True), "-id")
        .values_list("full_time", flat=True)
        .first()
    )


def _full_time_value(on: date) -> Any:
    return Subquery(_highest_education().values("full_time")[:1])


def _full_time_sql(op: str, value: Any, on: date) -> Expression:
    return compare_column(_full_time_value(on), op, value)


def _full_time_rows(on: date, path: str) -> Any:
    """Per talent the full-time mark of their latest education of their highest degree (set-based)."""
    latest = Window(
        RowNumber(),
        partition_by=[F("talent_id")],
        order_by=[F("graduated_on").desc(nulls_last=True), F("id").desc()],
    )
    return (
        Education.objects.filter(degree=F("talent__highest_degree"))
        .order_by()
        .annotate(rank=latest, rn=F(f"talent__{path}"), rv=F("full_time"))
        .filter(rank=1)
        .values("rn", "rv")
    )


def _employed_value(on: date) -> Expression:
    return Not(IsNull(F("employer"), True))


# --- children: birth dates only (``models.ChildBirth``) -----------------------------------------------------


CHILDREN_LABELS = {3: _("children under 3"), 6: _("children under 6"), 15: _("children under 15")}


def _children_fact(years: int) -> Fact:
    """Children born by ``on`` and under ``years`` 周岁 on it (未满 N 周岁: before the N-th birthday),
    counted; a talent with none recorded has 0."""

    def born(on: date) -> Q:
        return Q(birth_date__lte=on, birth_date__gt=years_before(on, years))

    def getter(talent: Any, on: date) -> int:
        return ChildBirth.objects.filter(born(on), talent_id=_pk(talent)).count()

    def value_sql(on: date) -> Expression:
        counted = (
            ChildBirth.objects.filter(born(on), talent=OuterRef("pk"))
            .order_by()
            .values("talent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    def rows(on: date, path: str) -> Any:
        counted = ChildBirth.objects.filter(born(on)).order_by().values(rn=F(f"talent__{path}"))
        return counted.annotate(rv=Count("pk"))

    return _int_fact(
        f"children_under_{years}",
        CHILDREN_LABELS[years],
        getter,
        value_sql,
        unit=_(" children"),
        perm=TalentPerm.FAMILY_VIEW,  # a count of children is family data (ADR 0019)
        read_rows=rows,
        read_default=0,
    )


# --- talent programmes: titles of the register (``models.TalentProgramme``, ``talents.programmes``) --------

NO_TITLE = "none"
LEVEL_CHOICES = (*ProgrammeLevel.choices, (NO_TITLE, _("no programme title")))


def _titles_held(on: date) -> Q:
    """A programme's title held on the day: selected in the day's year or before (a year not recorded
    counts as held). Titles are not withdrawn here: a title lost is removed from the archive."""
    return Q(kind=QualificationKind.PROGRAMME, programme__isnull=False) & (
        Q(year__isnull=True) | Q(year__lte=on.year)
    )


def _titles(talent: Any, on: date) -> list[tuple[str, str]]:
    cache = talent.__dict__.setdefault("_fact_cache", {})
    key = ("titles", on.year)
    if key not in cache:
        cache[key] = list(
            Qualification.objects.filter(_titles_held(on), talent_id=_pk(talent)).values_list(
                "programme__code", "programme__level"
            )
        )
    return cache[key]


def _programme_codes() -> tuple[tuple[str, Any], ...]:
    return tuple((p.code, str(p)) for p in programmes())


def _programme_titles_sql(op: str, value: Any, on: date) -> Any:
    if op != "any_of":
        raise ValueError(op)
    held = Qualification.objects.filter(
        _titles_held(on), talent=OuterRef("pk"), programme__code__in=list(value)
    )
    return Exists(held.order_by())


def _programme_level(talent: Any, on: date) -> str:
    ranks = [LEVEL_ORDER[level] for _code, level in _titles(talent, on)]
    return ProgrammeLevel.values[min(ranks)] if ranks else NO_TITLE


def _programme_level_sql(op: str, value: Any, on: date) -> Expression:
    rank = level_rank("programme__level")
    best = Subquery(
        Qualification.objects.filter(_titles_held(on), talent=OuterRef("pk"))
        .annotate(rank=rank)
        .order_by("rank")
        .values("rank")[:1],
        output_field=IntegerField(),
    )
    ranks = {**LEVEL_ORDER, NO_TITLE: len(LEVEL_ORDER)}
    wanted = [ranks[v] for v in value] if isinstance(value, list | tuple) else ranks[value]
    return compare_column(Coalesce(best, Value(len(LEVEL_ORDER))), op, wanted)


# --- enterprises, read through their talents ------------------------------------------------------------

CERTIFIED_GRADES = ("A", "B", "C", "D")  # 经认定的 A—D 类人才


def _key_people(enterprise_ref: Any) -> Any:
    return KeyPerson.objects.filter(enterprise=enterprise_ref, share__isnull=False).order_by()


def _certified_share(enterprise: Any, on: date) -> Any:
    """The shares of the key people who are certified A–D talents, added (percent); unknown when no key
    person's share is recorded."""
    rows = list(_key_people(enterprise.pk).values_list("share", "talent__grade"))
    if not rows:
        return None
    return sum((share for share, grade in rows if grade in CERTIFIED_GRADES), Decimal(0))


def _certified_share_sql(on: date) -> Expression:
    total = Subquery(
        _key_people(OuterRef("pk"))
        .filter(talent__grade__in=CERTIFIED_GRADES)
        .values("enterprise")
        .annotate(total=Sum("share"))
        .values("total"),
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )
    # rounded to the two decimals shares have: SQLite adds them in floating point
    return Case(
        When(Exists(_key_people(OuterRef("pk"))), then=Round(Coalesce(total, Value(Decimal(0))), 2)),
        default=Value(None),
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )


def _certified_share_rows(on: date, path: str) -> Any:
    """``_certified_share_sql`` for every enterprise at once (``Fact.read_rows``): one pass over the key
    people with a share, grouped by enterprise; an enterprise with none has no row (unknown)."""
    certified = Sum("share", filter=Q(talent__grade__in=CERTIFIED_GRADES))
    return (
        KeyPerson.objects.filter(share__isnull=False)
        .order_by()
        .values(rn=F(f"enterprise__{path}"))
        .annotate(rv=Round(Coalesce(certified, Value(Decimal(0))), 2))
    )


def employee_count_fact(key: str, label: Any, rule: dict[str, Any], arrived_last_year: bool = True) -> Fact:
    """How many of an enterprise's talents meet ``rule`` (a rule about talents) on the day, among those who
    arrived in the district in the year before it: "上一年度新引进的全日制硕士及以上、连续缴纳社保满 6 个月".
    Never unknown: a talent whose facts are unknown is not counted (the SQL filter drops NULL as the Python
    count drops "unknown")."""
    keys = facts_used(rule)

    def arrivals(on: date) -> Q:
        if not arrived_last_year:
            return Q()
        return Q(arrived_on__gte=date(on.year - 1, 1, 1), arrived_on__lte=date(on.year - 1, 12, 31))

    def getter(enterprise: Any, on: date) -> int:
        talents = Talent.objects.filter(arrivals(on), employer_id=enterprise.pk)
        return sum(1 for t in talents if evaluate(rule, fact_values(t, keys, on), {}, on=on).status == TRUE)

    def value_sql(on: date) -> Expression:
        counted = (
            Talent.objects.filter(arrivals(on), employer=OuterRef("pk"))
            .filter(to_sql(rule, {}, on))
            .order_by()
            .values("employer")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    def rows(on: date, path: str) -> Any:
        # everyone at once: one pass over the talents who arrived, grouped by employer (``Fact.read_rows``)
        counted = Talent.objects.filter(arrivals(on), employer__isnull=False).filter(to_sql(rule, {}, on))
        return counted.order_by().values(rn=F(f"employer__{path}")).annotate(rv=Count("pk"))

    return _int_fact(
        key,
        label,
        getter,
        value_sql,
        unit=_(" people"),
        target="enterprise",
        read_rows=rows,
        read_default=0,
    )


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
        read=_degree_rank,
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
        lambda op, value, on: compare_column(_employed_value(on), op, value),
        read=_employed_value,
        phrases=(
            (True, _("works for an enterprise registered in the district")),
            (False, _("does not work for an enterprise registered in the district")),
        ),
    ),
    # What policies say (issue #19): social insurance as months paid, the degree's mode, children, contract.
    _int_fact(
        "si_continuous_months",
        _("months of continuous social insurance in the district"),
        _continuous_months,
        _continuous_months_sql,
        unit=_(" months"),
        read_rows=_continuous_months_rows,
    ),
    _int_fact(
        "si_months_in_district",
        _("months of social insurance in the district"),
        _months_in_district,
        _months_in_district_sql,
        unit=_(" months"),
        read_rows=_months_in_district_rows,
    ),
    Fact(
        "highest_degree_full_time",
        _("highest degree studied full-time"),
        BOOL,
        _full_time,
        _full_time_sql,
        read=_full_time_value,
        read_rows=_full_time_rows,
        phrases=(
            (True, _("studied full-time for the highest degree")),
            (False, _("did not study full-time for the highest degree")),
        ),
    ),
    _children_fact(3),
    _children_fact(6),
    _children_fact(15),
    column_fact("contract_term_months", _("employment contract term (months)"), "contract_term_months", INT),
    Fact(  # "入选国家'万人计划'": titles of the register's programmes; never unknown (none is an empty list)
        "programme_titles",
        _("talent programme titles"),
        TAGS,
        lambda talent, on: [code for code, _level in _titles(talent, on)],
        _programme_titles_sql,
        choices_from=_programme_codes,
        plain_label=_("selected for a talent programme"),
    ),
    Fact(  # "入选省级及以上人才计划": the highest level of the programmes whose titles the talent holds
        "programme_level",
        _("highest level of talent programme titles"),
        ENUM,
        _programme_level,
        _programme_level_sql,
        choices=LEVEL_CHOICES,
    ),
    Fact(
        "certified_talent_share",
        _("shares held by certified A–D talents"),
        INT,
        _certified_share,
        lambda op, value, on: compare_column(_certified_share_sql(on), op, value),
        unit="%",
        target="enterprise",
        words="percent",
        value_sql=_certified_share_sql,
        read_rows=_certified_share_rows,
    ),
    employee_count_fact(
        "qualified_hires_last_year",
        _("full-time masters and doctors hired last year with 6 months of social insurance"),
        {
            "all": [
                {"fact": "degree_rank", "op": ">=", "value": 3},
                {"fact": "highest_degree_full_time", "op": "==", "value": True},
                {"fact": "si_continuous_months", "op": ">=", "value": 6},
            ]
        },
    ),
]

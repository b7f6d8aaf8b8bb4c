"""The hard filters and the consent as database conditions, and the rows read into ``facts``. Whatever the
index returns is re-read through these, so a stale index can never show a filtered or non-consented
profile."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from talentcloud.recruitment.enums import DemandState
from talentcloud.recruitment.models import Demand, JobSeekerProfile
from talentcloud.talents.models import Consent

from .consent_purposes import PURPOSE
from .facts import DemandFacts, ProfileFacts, degrees_at_least, degrees_at_most


def consented(qs: QuerySet[JobSeekerProfile]) -> QuerySet[JobSeekerProfile]:
    """The profiles whose talent's newest answer to the "recruitment" purpose is yes (no answer: no)."""
    newest = (
        Consent.objects.filter(talent__account_id=OuterRef("account_id"), purpose=PURPOSE)
        .order_by("-at", "-id")
        .values("granted")[:1]
    )
    return qs.annotate(recruitment_consent=Subquery(newest)).filter(recruitment_consent=True)


def profiles_passing(demand: DemandFacts) -> QuerySet[JobSeekerProfile]:
    """Consented profiles that pass every hard filter of ``demand`` (``facts.violations``, as SQL)."""
    qs = consented(JobSeekerProfile.objects.all()).filter(degree__in=degrees_at_least(demand.degree))
    if demand.majors:
        qs = qs.filter(major_id__in=list(demand.majors))
    if demand.location:
        qs = qs.filter(Q(match__isnull=True) | Q(match__location="") | Q(match__location=demand.location))
    if demand.chain_id is None:
        qs = qs.filter(Q(match__isnull=True) | Q(match__chain__isnull=True))
    else:
        qs = qs.filter(Q(match__isnull=True) | Q(match__chain__isnull=True) | Q(match__chain=demand.chain_id))
    if demand.annual_max is not None:
        qs = qs.filter(
            Q(match__isnull=True)
            | Q(match__salary_floor__isnull=True)
            | Q(match__salary_floor__lte=demand.annual_max)
        )
    return qs


def demands_passing(profile: ProfileFacts, qs: QuerySet[Demand]) -> QuerySet[Demand]:
    """Open demands (deadline not passed) whose hard filters ``profile`` passes."""
    qs = qs.filter(
        state=DemandState.OPEN,
        deadline__gte=timezone.localdate(),
        degree__in=degrees_at_most(profile.degree),
    )
    through = Demand.majors.through
    names_majors = Exists(through.objects.filter(demand_id=OuterRef("pk")))
    if profile.major_id is None:
        qs = qs.filter(~names_majors)
    else:
        has_mine = Exists(through.objects.filter(demand_id=OuterRef("pk"), major_id=profile.major_id))
        qs = qs.filter(~names_majors | has_mine)
    if profile.location:
        qs = qs.filter(Q(location="") | Q(location=profile.location))
    if profile.chain_id is not None:
        qs = qs.filter(chain_id=profile.chain_id)
    if profile.salary_floor is not None:
        qs = qs.filter(Q(annual_max__isnull=True) | Q(annual_max__gte=profile.salary_floor))
    return qs


def demand_facts(demands: Iterable[Demand]) -> list[DemandFacts]:
    demands = list(demands)
    majors: dict[Any, dict[int, str]] = defaultdict(dict)
    skills: dict[Any, dict[int, str]] = defaultdict(dict)
    ids = [d.pk for d in demands]
    for demand_id, pk, name in Demand.majors.through.objects.filter(demand_id__in=ids).values_list(
        "demand_id", "major_id", "major__name"
    ):
        majors[demand_id][pk] = name
    for demand_id, pk, term in Demand.skills.through.objects.filter(demand_id__in=ids).values_list(
        "demand_id", "skill_id", "skill__term"
    ):
        skills[demand_id][pk] = term
    return [
        DemandFacts(
            pk=d.pk,
            enterprise=d.enterprise.name,
            post_id=d.post_id,
            post_name=d.post.name,
            title=d.title,
            degree=d.degree,
            majors=dict(sorted(majors[d.pk].items())),
            skills=dict(sorted(skills[d.pk].items())),
            experience_years=d.experience_years,
            annual_min=d.annual_min,
            annual_max=d.annual_max,
            location=d.location,
            chain_id=d.chain_id,
            chain_name=d.chain.name if d.chain_id else "",  # type: ignore[union-attr]
            state=d.state,
        )
        for d in demands
    ]


PROFILE_COLUMNS = (
    "pk",
    "account_id",
    "post_id",
    "post__name",
    "degree",
    "major_id",
    "major__name",
    "experience_years",
    "match__location",
    "match__chain_id",
    "match__chain__name",
    "match__salary_floor",
    "match__summary",
    "match__tokens",
)


_SKILLS_SQL = {
    # the profile's skills as "id:term" joined by U+001F, read with the row (one round trip for the re-check)
    "postgresql": (
        "(SELECT string_agg(s.skill_id::text || ':' || k.term, chr(31) ORDER BY s.skill_id) "
        "FROM matching_matchdetails_skills s JOIN recruitment_skill k ON k.id = s.skill_id "
        "WHERE s.matchdetails_id = recruitment_jobseekerprofile.id)"
    ),
    "sqlite": (
        "(SELECT group_concat(x.v, char(31)) FROM (SELECT s.skill_id || ':' || k.term AS v "
        "FROM matching_matchdetails_skills s JOIN recruitment_skill k ON k.id = s.skill_id "
        "WHERE s.matchdetails_id = recruitment_jobseekerprofile.id ORDER BY s.skill_id) x)"
    ),
}


def _skills(packed: str | None) -> dict[int, str]:
    out: dict[int, str] = {}
    for item in (packed or "").split("\x1f"):
        if item:
            pk, _sep, term = item.partition(":")
            out[int(pk)] = term
    return dict(sorted(out.items()))


_PASSING_SELECT = (
    "SELECT {lead}p.id, p.account_id, p.post_id, po.name, p.degree, p.major_id, m.name, p.experience_years, "
    "d.location, d.chain_id, c.name, d.salary_floor, d.summary, d.tokens, {skills} "
    "FROM recruitment_jobseekerprofile p "
    "JOIN recruitment_post po ON po.id = p.post_id "
    "LEFT JOIN recruitment_major m ON m.id = p.major_id "
    "LEFT JOIN matching_matchdetails d ON d.profile_id = p.id "
    "LEFT JOIN enterprises_industrychain c ON c.id = d.chain_id "
    "WHERE p.id IN ({ids}) AND p.degree IN ({degrees}) "
    "AND (SELECT k.granted FROM talents_consent k JOIN talents_talent t ON t.id = k.talent_id "
    "WHERE t.account_id = p.account_id AND k.purpose = %s ORDER BY k.at DESC, k.id DESC LIMIT 1) = %s"
)


_CHANGES_SELECT = "SELECT 0, u.id, u.profile_id, {nulls} FROM ({unapplied}) u"


def _passing(demand: DemandFacts, ids: list[int], lead: str = "") -> tuple[str, list[Any]]:
    degrees = degrees_at_least(demand.degree)
    sql = _PASSING_SELECT.format(
        lead=lead,
        skills=_SKILLS_SQL[connection.vendor].replace("recruitment_jobseekerprofile.id", "p.id"),
        ids=", ".join(["%s"] * len(ids)),
        degrees=", ".join(["%s"] * len(degrees)),
    )
    params: list[Any] = [*ids, *degrees, PURPOSE, True]
    if demand.majors:
        sql += f" AND p.major_id IN ({', '.join(['%s'] * len(demand.majors))})"
        params += list(demand.majors)
    if demand.location:
        sql += " AND (d.profile_id IS NULL OR d.location = '' OR d.location = %s)"
        params.append(demand.location)
    if demand.chain_id is None:
        sql += " AND (d.profile_id IS NULL OR d.chain_id IS NULL)"
    else:
        sql += " AND (d.profile_id IS NULL OR d.chain_id IS NULL OR d.chain_id = %s)"
        params.append(demand.chain_id)
    if demand.annual_max is not None:
        sql += " AND (d.profile_id IS NULL OR d.salary_floor IS NULL OR d.salary_floor <= %s)"
        params.append(demand.annual_max)
    return sql, params


def passing_facts(demand: DemandFacts, ids: list[int]) -> list[ProfileFacts]:
    """Of the profiles ``ids``, those ``profiles_passing(demand)`` holds, read as ``profile_facts`` would read
    them: the same conditions written once more as one plain statement (the re-check after every index
    search, where composing and compiling the queryset cost more than the database's work). The tests hold
    the two to each other."""
    return passing_facts_and_changes(demand, ids, None)[1]


def passing_facts_and_changes(
    demand: DemandFacts, ids: list[int], unapplied: tuple[str, list[int]] | None
) -> tuple[list[tuple[int, int]], list[ProfileFacts]]:
    """``passing_facts`` and, in the same statement (one round trip, one snapshot), the change-log rows the
    index's ``unapplied`` statement reads: (change rows, facts)."""
    parts: list[str] = []
    params: list[Any] = []
    if unapplied is not None:
        parts.append(_CHANGES_SELECT.format(nulls=", ".join(["NULL"] * 13), unapplied=unapplied[0]))
        params += unapplied[1]
    if ids:
        sql, more = _passing(demand, ids, lead="1, ")
        parts.append(sql)
        params += more
    if not parts:
        return [], []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return [(r[1], r[2]) for r in rows if r[0] == 0], [_facts(r[1:]) for r in rows if r[0] == 1]


def _facts(r: Any) -> ProfileFacts:
    return ProfileFacts(
        pk=r[0],
        account_id=r[1],
        post_id=r[2],
        post_name=r[3],
        degree=r[4],
        major_id=r[5],
        major_name=r[6] or "",
        experience_years=r[7],
        location=r[8] or "",
        chain_id=r[9],
        chain_name=r[10] or "",
        salary_floor=r[11],
        summary=r[12] or "",
        tokens=r[13] or "",
        skills=_skills(r[14]),
    )


def profile_facts(qs: QuerySet[JobSeekerProfile]) -> list[ProfileFacts]:
    """The rows of ``qs`` as ``ProfileFacts``, their skills read in the same query."""
    skills = RawSQL(_SKILLS_SQL[connection.vendor], [])  # noqa: S611 (constant SQL, no parameters)
    return [
        _facts(r) for r in qs.annotate(packed_skills=skills).values_list(*PROFILE_COLUMNS, "packed_skills")
    ]

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


def profile_facts(qs: QuerySet[JobSeekerProfile]) -> list[ProfileFacts]:
    """The rows of ``qs`` as ``ProfileFacts``, their skills read in the same query."""
    skills = RawSQL(_SKILLS_SQL[connection.vendor], [])  # noqa: S611 (constant SQL, no parameters)
    rows = qs.annotate(packed_skills=skills).values_list(*PROFILE_COLUMNS, "packed_skills")
    return [
        ProfileFacts(
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
        for r in rows
    ]

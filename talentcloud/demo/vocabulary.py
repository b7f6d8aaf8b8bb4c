"""The demo's data for what the ten demo texts P1–P10 read (issue #19): social insurance as runs of months,
degrees with their mode, children's birth dates (with their family records), contract terms, key people's
shares, recognitions of enterprises and talents, talent programme titles of the register, and the
office-defined facts' values — each with provenance,
so that every one of the ten policies finds people in the demo."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from talentcloud.enterprises.models import Enterprise, KeyPerson
from talentcloud.policies.models import FactDefinition, RecordedValue, ValueSource
from talentcloud.talents.enums import Degree, FactSource, PyramidCategory, QualificationKind, Relation
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

SCHOOLS = ("南京大学", "东南大学", "河海大学", "南京航空航天大学", "南京理工大学", "中国药科大学")
PROVENANCE = "演示数据"


def _value(definition: FactDefinition, **fields: object) -> RecordedValue:
    return RecordedValue(
        definition=definition,
        source=ValueSource.IMPORT,
        provenance=PROVENANCE,
        verified=True,
        **fields,
    )


def seed_vocabulary(*, seed: int, batch_size: int = 5000) -> dict[str, int]:
    """What the ten texts read, for the seeded population (run after the library is installed)."""
    rng = random.Random(seed + 19)
    today = timezone.localdate()
    this_month = month_index(today)
    defined = {d.key: d for d in FactDefinition.objects.all()}
    runs: list[ContributionPeriod] = []
    education: list[Education] = []
    children: list[tuple[FamilyMember, date]] = []
    values: list[RecordedValue] = []
    changed: list[Talent] = []
    talents = Talent.objects.order_by("pk").only(
        "pk",
        "highest_degree",
        "category",
        "grade",
        "arrived_on",
        "birth_date",
        "graduated_on",
        "owns_home_in_city",
    )
    for talent in talents.iterator():
        # social insurance: from arrival, unbroken for most; a recent arrival has a few months
        if talent.arrived_on is not None and rng.random() < 0.9:
            first = month_index(talent.arrived_on)
            if rng.random() < 0.2 and this_month - first > 14:  # a gap: a year elsewhere
                gap = rng.randrange(first + 2, this_month - 10)
                runs.append(
                    ContributionPeriod(
                        talent=talent, first_month=first, last_month=gap, source=FactSource.AUTHORITY
                    )
                )
                first = gap + rng.randrange(2, 8)
            runs.append(
                ContributionPeriod(
                    talent=talent, first_month=first, last_month=None, source=FactSource.AUTHORITY
                )
            )
        # the degree: a young graduate graduated recently; most degrees were full-time
        young = talent.category == PyramidCategory.YOUNG
        if talent.highest_degree in (Degree.BACHELOR, Degree.MASTER, Degree.DOCTOR):
            graduated = talent.graduated_on
            if graduated is None:
                back = rng.randrange(100, 365 * 6) if young else rng.randrange(365 * 3, 365 * 20)
                graduated = today - timedelta(days=back)
                talent.graduated_on = graduated
            talent.contract_term_months = rng.choice((12, 24, 36, 36, 60, 60, None))
            education.append(
                Education(
                    talent=talent,
                    degree=talent.highest_degree,
                    school=rng.choice(SCHOOLS),
                    graduated_on=graduated,
                    full_time=rng.random() < 0.85,
                    source=FactSource.AUTHORITY,
                )
            )
        if talent.owns_home_in_city is None:  # the property register's answer
            talent.owns_home_in_city = rng.random() < (0.3 if young else 0.7)
        changed.append(talent)
        # children: a third of the talents under 45 have one or two
        if today.year - talent.birth_date.year < 45 and rng.random() < 0.35:
            for _child in range(rng.choice((1, 1, 2, 3))):
                born = today - timedelta(days=rng.randrange(30, 365 * 14))
                member = FamilyMember(
                    talent=talent, relation=Relation.CHILD, name="子女", birth_date=born.isoformat()
                )
                children.append((member, born))
        # what the office recorded: the first home bought here, a spouse who came along
        if "first_home_in_district" in defined and young and rng.random() < 0.25:
            values.append(
                _value(
                    defined["first_home_in_district"],
                    talent=talent,
                    value_bool=rng.random() < 0.7,
                    valid_from=today - timedelta(days=rng.randrange(10, 300)),
                )
            )
        if (
            "spouse_accompanying_unemployed" in defined
            and talent.grade in ("A", "B", "C")
            and rng.random() < 0.4
        ):
            values.append(
                _value(
                    defined["spouse_accompanying_unemployed"],
                    talent=talent,
                    value_bool=rng.random() < 0.6,
                    valid_from=today - timedelta(days=rng.randrange(10, 500)),
                )
            )
        if "postdoc_station" in defined and talent.highest_degree == Degree.DOCTOR and rng.random() < 0.12:
            start = today - timedelta(days=rng.randrange(60, 365 * 4))
            ended = start + timedelta(days=730) if rng.random() < 0.5 else None
            if ended is not None and ended < today:
                # Most who leave the station and stay sign a contract of three years or more (P10's reward).
                talent.contract_term_months = rng.choice((36, 60, 60, 24))
            values.append(
                _value(
                    defined["postdoc_station"],
                    talent=talent,
                    valid_from=start,
                    valid_until=ended if ended is not None and ended < today else None,
                )
            )
    Talent.objects.bulk_update(
        changed, ["graduated_on", "contract_term_months", "owns_home_in_city"], batch_size=batch_size
    )
    ContributionPeriod.objects.bulk_create(runs, batch_size=batch_size)
    Education.objects.bulk_create(education, batch_size=batch_size)
    members = FamilyMember.objects.bulk_create([m for m, _born in children], batch_size=batch_size)
    ChildBirth.objects.bulk_create(
        [
            ChildBirth(talent_id=m.talent_id, member=m, birth_date=born)
            for m, (_m, born) in zip(members, children, strict=True)
        ],
        batch_size=batch_size,
    )
    # enterprises: recognitions (with a validity) and key people's shares
    recognitions = {
        "hightech": 0.15,
        "little_giant": 0.02,
        "specialized_provincial": 0.06,
        "gazelle": 0.05,
    }
    for enterprise in Enterprise.objects.order_by("pk").only("pk").iterator():
        for key, share in recognitions.items():
            if key in defined and rng.random() < share:
                start = today - timedelta(days=rng.randrange(30, 365 * 6))
                values.append(
                    _value(
                        defined[key],
                        enterprise=enterprise,
                        valid_from=start,
                        valid_until=start + timedelta(days=365 * 3),
                    )
                )
    RecordedValue.objects.bulk_create(values, batch_size=batch_size)
    titles = _programme_titles(seed=seed, today=today, batch_size=batch_size)
    people = list(KeyPerson.objects.filter(share__isnull=True).only("pk"))
    for person in people:
        person.share = Decimal(rng.randrange(500, 6000)) / 100
    KeyPerson.objects.bulk_update(people, ["share"], batch_size=batch_size)
    return {
        "contribution_runs": len(runs),
        "education": len(education),
        "children": len(children),
        "values": len(values),
        "key_people": len(people),
        "programme_titles": titles,
    }


# The programme level a certified grade's holders were most often selected at, and how often.
TITLE_BY_GRADE = {
    "A": ("national", 0.8),
    "B": ("provincial", 0.7),
    "C": ("city", 0.6),
    "D": ("district", 0.3),
}


def _programme_titles(*, seed: int, today: date, batch_size: int) -> int:
    """Talent programme titles of the register for certified talents (its own random stream, so the rest of
    the demo stays as it was)."""
    rng = random.Random(seed + 2019)
    by_level: dict[str, list[TalentProgramme]] = {}
    for programme in TalentProgramme.objects.filter(active=True).order_by("code"):
        by_level.setdefault(programme.level, []).append(programme)
    rows: list[Qualification] = []
    for talent_id, grade in (
        Talent.objects.filter(grade__in=TITLE_BY_GRADE).order_by("pk").values_list("pk", "grade")
    ):
        level, share = TITLE_BY_GRADE[grade]
        if by_level.get(level) and rng.random() < share:
            programme = rng.choice(by_level[level])
            rows.append(
                Qualification(
                    talent_id=talent_id,
                    kind=QualificationKind.PROGRAMME,
                    programme=programme,
                    name=programme.name,
                    year=today.year - rng.randrange(0, 8),
                )
            )
    Qualification.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)

"""Certification histories for the demo's talents (#21): every seeded talent with a grade or tier gets the
certification that grade and tier rest on (a programme award where there is a tier, an office decision
otherwise), some an earlier, lower one it superseded, and some ending within the next months (the staff's
到期复核 list). Bulk-inserted to match the columns the population was seeded with: nothing is projected,
because the columns already say what the history says."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from talentcloud.certification.enums import Basis, CertificationStatus
from talentcloud.certification.models import Certification
from talentcloud.certification.services import GRADES, VALID_YEARS, years_after
from talentcloud.talents.models import Talent


def seed_certifications(*, seed: int, batch_size: int = 5000) -> int:
    rng = random.Random(seed + 21)
    today = timezone.localdate()
    rows: list[Certification] = []
    made = 0
    certified = (
        Talent.objects.filter(~Q(grade="") | ~Q(tier="")).order_by("pk").values_list("pk", "grade", "tier")
    )
    for pk, grade, tier in certified.iterator(chunk_size=batch_size):
        start = today - timedelta(days=rng.randrange(20, 365 * VALID_YEARS - 1))
        basis = Basis.PROGRAMME if tier else Basis.DECISION
        number = f"宁委人才〔{start.year}〕{rng.randrange(1, 40)}号（演示）"
        if grade and grade != GRADES[-1] and rng.random() < 0.15:
            earlier = start - timedelta(days=365 * VALID_YEARS)
            rows.append(
                Certification(
                    talent_id=pk,
                    grade=GRADES[GRADES.index(grade) + 1],
                    tier=tier,
                    basis=basis,
                    effective_from=earlier,
                    effective_to=years_after(earlier, VALID_YEARS),
                    document_number=f"宁委人才〔{earlier.year}〕{rng.randrange(1, 40)}号（演示）",
                    status=CertificationStatus.SUPERSEDED,
                    ended_on=start,
                )
            )
        rows.append(
            Certification(
                talent_id=pk,
                grade=grade,
                tier=tier,
                basis=basis,
                effective_from=start,
                effective_to=years_after(start, VALID_YEARS),
                document_number=number,
                status=CertificationStatus.CURRENT,
            )
        )
        made += 1
        if len(rows) >= batch_size:
            Certification.objects.bulk_create(rows, batch_size=batch_size)
            rows = []
    Certification.objects.bulk_create(rows, batch_size=batch_size)
    return made

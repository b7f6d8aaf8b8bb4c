"""What this app holds about a person for their data copy (PIPL art. 45; ``talents.services.personal_data``):
their job applications and every step of each, when the talent's archive is linked to the account that
applied."""

from __future__ import annotations

from typing import Any

from talentcloud.talents.models import Talent
from talentcloud.talents.services.personal_data import CopySection

from .models import JobApplication


def _applications(talent: Talent) -> list[dict[str, Any]]:
    if talent.account_id is None:
        return []
    rows = (
        JobApplication.objects.filter(applicant_id=talent.account_id)
        .select_related("enterprise", "demand__post", "major")
        .prefetch_related("events")
        .order_by("created_at", "id")
    )
    return [
        {
            "enterprise": a.enterprise.name,
            "post": a.demand.post.name,
            "degree": a.get_degree_display(),
            "major": str(a.major) if a.major else None,
            "statement": a.statement,
            "consented_at": a.consent_at.isoformat(),
            "channel": a.channel,
            "stage": a.get_state_display(),
            "reason": a.reason,
            "steps": [{"at": e.at.isoformat(), "stage": e.to_state, "note": e.note} for e in a.events.all()],
        }
        for a in rows
    ]


DATA_COPY = [CopySection("job_applications", _applications)]

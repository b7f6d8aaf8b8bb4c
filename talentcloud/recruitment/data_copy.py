"""What this app holds about a person for their data copy (PIPL art. 45; ``talents.services.personal_data``):
their job-seeker profile, when the talent's archive is linked to the account that keeps one."""

from __future__ import annotations

from typing import Any

from talentcloud.talents.models import Talent
from talentcloud.talents.services.personal_data import CopySection

from .models import JobSeekerProfile


def _profile(talent: Talent) -> list[dict[str, Any]]:
    if talent.account_id is None:
        return []
    profile = (
        JobSeekerProfile.objects.filter(account_id=talent.account_id).select_related("post", "major").first()
    )
    if profile is None:
        return []
    return [
        {
            "post_sought": str(profile.post),
            "degree": profile.get_degree_display(),
            "major": str(profile.major) if profile.major else None,
            "experience_years": profile.experience_years,
            "counted_as_supply": profile.open,
            "updated_at": profile.updated_at.isoformat(),
        }
    ]


DATA_COPY = [CopySection("job_seeker_profile", _profile)]

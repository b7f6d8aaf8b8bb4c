"""What this app holds about a person for their data copy (PIPL art. 45; ``talents.services.personal_data``):
their matching details and the enterprises' requests for contact with their answers."""

from __future__ import annotations

from typing import Any

from talentcloud.talents.models import Talent
from talentcloud.talents.services.personal_data import CopySection

from .models import ContactRequest, MatchDetails


def _details(talent: Talent) -> list[dict[str, Any]]:
    if talent.account_id is None:
        return []
    details = (
        MatchDetails.objects.filter(profile__account_id=talent.account_id).select_related("chain").first()
    )
    if details is None:
        return []
    return [
        {
            "skills": sorted(details.skills.values_list("term", flat=True)),
            "location": details.location,
            "chain": details.chain.name if details.chain else None,
            "salary_floor": details.salary_floor,
            "about_me": details.summary,
            "updated_at": details.updated_at.isoformat(),
        }
    ]


def _contacts(talent: Talent) -> list[dict[str, Any]]:
    if talent.account_id is None:
        return []
    return [
        {
            "enterprise": c.enterprise.name,
            "post": c.demand.post.name,
            "state": c.get_state_display(),
            "requested_at": c.requested_at.isoformat(),
            "answered_at": c.answered_at.isoformat() if c.answered_at else None,
        }
        for c in ContactRequest.objects.filter(profile__account_id=talent.account_id)
        .select_related("enterprise", "demand__post")
        .order_by("requested_at", "id")
    ]


DATA_COPY = [CopySection("matching_details", _details), CopySection("contact_requests", _contacts)]

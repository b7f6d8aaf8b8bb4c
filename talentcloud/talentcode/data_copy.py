"""What the talent code holds about a person for their data copy (PIPL art. 45;
``talents.services.personal_data``): their codes (issued, status, whether the photo is shown) and every
verification of them (where, for which scene, when, the answer, whether they reported it)."""

from __future__ import annotations

from typing import Any

from talentcloud.talents.models import Talent
from talentcloud.talents.services.personal_data import CopySection

from .models import TalentCode, Verification


def _codes(talent: Talent) -> list[dict[str, Any]]:
    return [
        {
            "issued_at": code.issued_at.isoformat(),
            "status": code.get_status_display(),
            "issued_through": code.get_basis_display(),
            "revoked_at": code.revoked_at.isoformat() if code.revoked_at else None,
            "revoke_reason": code.revoke_reason,
            "photo_uploaded": bool(code.photo_type),
            "photo_shown": code.show_photo,
        }
        for code in TalentCode.objects.filter(talent=talent).defer("photo").order_by("issued_at")
    ]


def _verifications(talent: Talent) -> list[dict[str, Any]]:
    rows = (
        Verification.objects.filter(code__talent=talent)
        .select_related("verifier__unit", "scene")
        .order_by("at", "id")
    )
    return [
        {
            "at": row.at.isoformat(),
            "verifier": row.verifier.unit.display_name,
            "scene": row.scene.display_name,
            "result": row.get_result_display(),
            "reported_at": row.reported_at.isoformat() if row.reported_at else None,
        }
        for row in rows
    ]


DATA_COPY = [CopySection("talent_codes", _codes), CopySection("talent_code_verifications", _verifications)]

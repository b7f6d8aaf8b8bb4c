"""How the archive shows a value and keeps it as JSON: personal numbers masked, references by display name.
Shared by the edits (their change rows), the facts table and the clashes."""

from __future__ import annotations

from datetime import date
from typing import Any

from talentcloud.enterprises.models import Enterprise
from talentcloud.privacy.masking import mask_email, mask_id_number, mask_phone

# What staff may edit on an archive (the edit page, the API, the import); ``clashes.MERGE_FIELDS`` follows it.
# Not the grade and tier: only the certification service sets them (ADR 0021).
STAFF_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "email",
    "highest_degree",
    "category",
    "employer",
    "post",
    "chain",
    "residence_street",
    "arrived_on",
    "graduated_on",
    "social_insurance_since",
    "owns_home_in_city",
    "contract_term_months",
    "contact_every_days",
    "tags",
)

MASKS = {"id_number": mask_id_number, "phone": mask_phone, "email": mask_email}


def _shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if name in MASKS:
        return MASKS[name](str(value))
    if hasattr(value, "get_display_name"):
        return str(value.get_display_name())
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enterprise):
        return str(value.pk)
    return value


def _from_json(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in ("graduated_on", "social_insurance_since"):
        return date.fromisoformat(value)
    if key == "employer":
        return Enterprise.objects.get(pk=value)
    return value

"""What this app holds about a person for their data copy (PIPL art. 45; ``talents.services.personal_data``):
the values of the office's facts recorded about them (recognitions included), with where each came from."""

from __future__ import annotations

from typing import Any

from talentcloud.talents.models import Talent
from talentcloud.talents.services.personal_data import CopySection

from .models import RecordedValue
from .office_facts import shown


def _recorded(talent: Talent) -> list[dict[str, Any]]:
    rows = (
        RecordedValue.objects.filter(talent=talent).select_related("definition").order_by("valid_from", "id")
    )
    return [
        {
            "fact": str(row.definition),
            "value": shown(row.definition, row),
            "valid_from": row.valid_from.isoformat(),
            "valid_until": row.valid_until.isoformat() if row.valid_until else None,
            "source": row.get_source_display(),
            "provenance": row.provenance,
            "verified": row.verified,
        }
        for row in rows
    ]


DATA_COPY = [CopySection("office_facts", _recorded)]

"""Excel export of enterprises under the import's own headers, so that an edited export imports back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from talentcloud.common.excel import xlsx_bytes

from .importing import COLUMNS
from .models import Enterprise

EXPORT_CAP = 50_000  # a district's enterprises; a direct download


def enterprise_export(enterprises: Iterable[Enterprise]) -> tuple[bytes, int]:
    rows: list[list[Any]] = []
    for enterprise in enterprises:
        rows.append(
            [
                enterprise.name,
                enterprise.credit_code,
                enterprise.street.name,
                enterprise.park.name if enterprise.park else "",
                str(enterprise.chain) if enterprise.chain else "",
                enterprise.founded_on,
                enterprise.address,
                "、".join(enterprise.tags or []),
            ]
        )
        if len(rows) >= EXPORT_CAP:
            break
    header = [str(c.header) for c in COLUMNS]
    return xlsx_bytes(sheet="enterprises", header=header, rows=rows), len(rows)

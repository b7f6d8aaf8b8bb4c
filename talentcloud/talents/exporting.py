"""Excel export of a filtered, scoped talent list: masked by default, formula-safe, audited."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from talentcloud.common.excel import safe_cell
from talentcloud.privacy.masking import mask_id_number, mask_phone

from . import selectors
from .importing import COLUMNS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User


def export_talents(
    *,
    viewer: User | AnonymousUser,
    filters: dict[str, str],
    unmasked: bool,
    progress: Callable[[int, int], None],
) -> tuple[bytes, int]:
    talents = selectors.talent_list(viewer=viewer, filters=selectors.filters_from(filters))
    total = talents.count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("talents")
    # The import's own headers, the employer as its credit code and the record number first: an edited
    # export imports back onto the talents it came from (masked cells are left as they are).
    columns = ["record_key", *(c.key for c in COLUMNS if c.key != "record_key")]
    headers = {c.key: str(c.header) for c in COLUMNS}
    sheet.append(
        [
            *(headers[key] for key in columns),
            _("Employer"),
            _("Industry chain"),
            _("Programme tier"),
            _("Certification grade"),
        ]
    )
    for done, talent in enumerate(talents.iterator(chunk_size=2000), start=1):
        id_number = talent.id_number if unmasked else mask_id_number(talent.id_number)
        phone = talent.phone if unmasked else mask_phone(talent.phone)
        employer = talent.employer
        values = {
            "record_key": str(talent.pk),
            "name": talent.name,
            "gender": talent.get_gender_display(),
            "birth_date": talent.birth_date,
            "id_number": id_number,
            "phone": phone,
            "highest_degree": talent.get_highest_degree_display(),
            "category": talent.get_category_display(),
            "employer_code": employer.credit_code if employer else "",
            "post": talent.post,
            "residence_street": talent.residence_street.name if talent.residence_street else "",
            "arrived_on": talent.arrived_on,
        }
        sheet.append(
            [
                *(_cell(sheet, key, safe_cell(values[key])) for key in columns),
                safe_cell(employer.name if employer else ""),
                safe_cell(str(talent.chain) if talent.chain else ""),
                talent.get_tier_display(),
                talent.get_grade_display(),
            ]
        )
        if done % 1000 == 0:
            progress(done, total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), total


TEXT_COLUMNS = {c.key for c in COLUMNS if c.text}


def _cell(sheet: Any, key: str, value: Any) -> Any:
    """ID, phone and credit-code cells formatted as text (Excel keeps every digit when they are edited);
    dates as dates."""
    if key in TEXT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "@"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value

"""Excel export of a filtered, scoped talent list: masked by default, formula-safe, audited."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from talentcloud.common.excel import safe_cell
from talentcloud.privacy.masking import mask_id_number, mask_phone

from . import selectors


def export_talents(
    *, viewer: Any, filters: dict[str, str], unmasked: bool, progress: Callable[[int, int], None]
) -> tuple[bytes, int]:
    talents = selectors.talent_list(viewer=viewer, filters=selectors.filters_from(filters))
    total = talents.count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("talents")
    sheet.append(
        [
            _("Name"),
            _("Gender"),
            _("Birth date"),
            _("ID number"),
            _("Mobile number"),
            _("Highest degree"),
            _("Pyramid category"),
            _("Employer"),
            _("Post"),
            _("Industry chain"),
            _("Street of residence"),
            _("Arrival in the district"),
            _("Programme tier"),
            _("Certification grade"),
        ]
    )
    for done, talent in enumerate(talents.iterator(chunk_size=2000), start=1):
        id_number = talent.id_number if unmasked else mask_id_number(talent.id_number)
        phone = talent.phone if unmasked else mask_phone(talent.phone)
        sheet.append(
            [
                safe_cell(v)
                for v in (
                    talent.name,
                    talent.get_gender_display(),
                    talent.birth_date,
                    id_number,
                    phone,
                    talent.get_highest_degree_display(),
                    talent.get_category_display(),
                    talent.employer.name if talent.employer else "",
                    talent.post,
                    str(talent.chain) if talent.chain else "",
                    str(talent.residence_street) if talent.residence_street else "",
                    talent.arrived_on,
                    talent.get_tier_display(),
                    talent.get_grade_display(),
                )
            ]
        )
        if done % 1000 == 0:
            progress(done, total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), total

"""A frozen catalogue rendered once, at publication, as .xlsx and PDF (WeasyPrint, like 一人一档's PDF).
The files are stored with their SM3 digests; nothing renders them again."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from talentcloud.common.excel import xlsx_bytes

from .models import Catalogue
from .selectors import catalogue_rows

LANGUAGE = "zh-hans"  # the published files are the district's, in Chinese


def _header() -> list[str]:
    return [
        _("Rank"),
        _("Post code"),
        _("Post"),
        _("Stars"),
        _("Shortage index"),
        _("Demand (headcount)"),
        _("Supply"),
        _("Stars last year"),
        _("First time five stars"),
    ]


def catalogue_xlsx(catalogue: Catalogue) -> bytes:
    with translation.override(LANGUAGE):
        rows = [
            [
                rank,
                r["code"],
                r["name"],
                r["stars"],
                float(r["index"]),
                r["demand"],
                r["supply"],
                r["previous_stars"] or "",
                _("Yes") if r["first_five_star"] else "",
            ]
            for rank, r in enumerate(catalogue_rows(catalogue), start=1)
        ]
        title = _("Demand catalogue %(year)d") % {"year": catalogue.year}
        return xlsx_bytes(sheet=title, header=_header(), rows=rows)


def catalogue_pdf(catalogue: Catalogue) -> bytes:
    with translation.override(LANGUAGE):
        html = render_to_string(
            "recruitment/catalogue_pdf.html",
            {"catalogue": catalogue, "rows": catalogue_rows(catalogue), "header": _header()},
        )
        return bytes(HTML(string=html).write_pdf())

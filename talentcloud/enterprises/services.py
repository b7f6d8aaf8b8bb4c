"""Enterprise services: yearly figures (一企一档), kept as history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import Perm, require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import ValidationFailed

from .models import AnnualReport, Enterprise


def annual_report_submit(
    *,
    actor: Any,
    enterprise: Enterprise,
    year: int,
    revenue: Decimal,
    rd_spend: Decimal,
    staff: int,
    patents: int,
    funding_raised: Decimal = Decimal(0),
) -> AnnualReport:
    require_perm(actor, Perm.ENTERPRISE_EDIT)
    errors: dict[str, list[Any]] = {}
    this_year = timezone.localdate().year
    if not 1990 <= year <= this_year:
        errors["year"] = [_("A year between 1990 and %(year)d.") % {"year": this_year}]
    for name, value in (
        ("revenue", revenue),
        ("rd_spend", rd_spend),
        ("funding_raised", funding_raised),
        ("staff", staff),
        ("patents", patents),
    ):
        if value < 0:
            errors[name] = [_("Cannot be negative.")]
    if rd_spend > revenue > 0:
        errors["rd_spend"] = [_("R&D spend above revenue: check the units (10k yuan).")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        report = AnnualReport.objects.create(
            enterprise=enterprise,
            year=year,
            revenue=revenue,
            rd_spend=rd_spend,
            staff=staff,
            patents=patents,
            funding_raised=funding_raised,
            submitted_by=actor,
        )
        audit_record(
            actor=actor,
            action="enterprise.report",
            object_type="enterprise",
            object_id=enterprise.pk,
            details={"year": year},
        )
    return report


@dataclass(frozen=True)
class YearFigures:
    report: AnnualReport
    revenue_growth: Decimal | None
    revisions: int


def annual_figures(enterprise: Enterprise) -> list[YearFigures]:
    """The current figures per year (the newest submission), newest year first, with revenue growth."""
    current: dict[int, AnnualReport] = {}
    revisions: dict[int, int] = {}
    for report in enterprise.reports.order_by("-created_at", "-id"):
        current.setdefault(report.year, report)
        revisions[report.year] = revisions.get(report.year, 0) + 1
    years = sorted(current, reverse=True)
    result = []
    for year in years:
        report, previous = current[year], current.get(year - 1)
        growth = None
        if previous is not None and previous.revenue > 0:
            growth = ((report.revenue - previous.revenue) / previous.revenue * 100).quantize(Decimal("0.1"))
        result.append(YearFigures(report, growth, revisions[year] - 1))
    return result

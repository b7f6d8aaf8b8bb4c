"""Social insurance as runs of months paid in the district (``models.ContributionPeriod``): recorded by staff
or imported from the social-insurance system's export (``authority.facts_import``, fact
``social_insurance_months``). A new run is merged with those it overlaps or touches, so a talent's runs never
overlap nor touch and "连续缴纳满 N 个月" reads the one run that includes the month asked about."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import ValidationFailed
from talentcloud.talents.permissions import TalentPerm

from ..changes import facts_changed
from ..enums import FactSource
from ..models import ContributionPeriod, Talent, TalentChange, month_text

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

MONTH = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$")
RUN = re.compile(r"^\s*([^~～至]+?)\s*(?:[~～至]\s*([^~～至]*?))?\s*$")


def parse_month(text: str) -> int:
    """ "2024-03", "2024.3", "2024年3月" → the month's number; anything else is refused in the user's
    language."""
    found = MONTH.match(text or "")
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValidationError(_("A month is written as 2024-03."))
    return int(found.group(1)) * 12 + int(found.group(2)) - 1


def parse_run(text: str) -> tuple[int, int | None]:
    """ "2024-01~2025-06" (both months included) or "2024-01~" (still paid)."""
    found = RUN.match(text or "")
    if not found:
        raise ValidationError(_("Write the months as 2024-01~2025-06, or 2024-01~ while still paid."))
    first = parse_month(found.group(1))
    last = parse_month(found.group(2)) if found.group(2) else None
    if last is not None and last < first:
        raise ValidationError(_("The last month comes before the first."))
    return first, last


def merge_run(talent: Talent, first: int, last: int | None, *, source: str, actor: Any = None) -> None:
    """Add the run and merge it with the talent's runs it overlaps or touches (one row per unbroken run)."""
    runs = list(ContributionPeriod.objects.select_for_update().filter(talent=talent))
    low, high = first, last
    merged = []
    for run in runs:
        run_high = run.last_month
        touches = (high is None or run.first_month <= high + 1) and (run_high is None or run_high + 1 >= low)
        if touches:
            low = min(low, run.first_month)
            high = None if high is None or run_high is None else max(high, run_high)
            merged.append(run.pk)
    ContributionPeriod.objects.filter(pk__in=merged).delete()
    ContributionPeriod.objects.create(
        talent=talent, first_month=low, last_month=high, source=source, recorded_by=actor
    )
    facts_changed([talent.pk])  # months of social insurance are facts policies read (ADR 0018)


def contribution_add(*, actor: User, talent: Talent, months: str) -> None:
    """Staff record a run of months paid in the district ("2024-01~2025-06")."""
    require_perm(actor, TalentPerm.EDIT)
    try:
        first, last = parse_run(months)
    except ValidationError as exc:
        raise ValidationFailed(fields={"months": list(exc.messages)}) from exc
    with transaction.atomic():
        merge_run(talent, first, last, source=FactSource.STAFF, actor=actor)
        shown = f"{month_text(first)}~{month_text(last) if last is not None else ''}"
        TalentChange.objects.create(
            talent=talent, actor=actor, via="staff", field="social_insurance_months", after=shown
        )
        audit_record(
            actor=actor,
            action="talent.contribution_add",
            object_type="talent",
            object_id=talent.pk,
            details={"months": shown},
        )

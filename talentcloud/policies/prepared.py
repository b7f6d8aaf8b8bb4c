"""免申即享's prepared applications, made when first opened (ADR 0040).

A policy that applies through a service tells a person it found eligible that an application is ready for
them; the notice (and the calculator's list) points to ``prepared_url``. Opening it prepares the draft then,
in the person's name and filled in from what the platform knows at that moment (``servicehall.case_prepare``:
once per applicant and reason), and sends them to it; opening it again finds the same draft. A person the
newest results no longer grant, or whom the service's own rule refuses, is told why instead.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.enterprises.facts import REPORT_FIGURES
from talentcloud.enterprises.models import AnnualReport, Enterprise
from talentcloud.notifications.texts import CodedText
from talentcloud.servicehall.cases import case_prepare
from talentcloud.servicehall.catalogue import eligibility_problem
from talentcloud.servicehall.models import Case, Service
from talentcloud.talents.selectors import talent_own_archive

from .engine import published
from .models import EntitlementStatus, OnMatch, Policy
from .sweep import found_for

if TYPE_CHECKING:
    from talentcloud.accounts.models import User


def prepared_note(policy: Policy) -> Any:
    """The note on a prepared draft: a code and the policy, put into words in the reader's language."""
    return CodedText("case.prepared", policy=policy, version=policy.version)


def report_figures(enterprise_id: Any, on: date) -> dict[str, Any] | None:
    """The enterprise's current report of last year, as the figures its facts read (what a prepared draft
    fills in), or None."""
    row = (
        AnnualReport.objects.filter(enterprise_id=enterprise_id, year=on.year - 1, current=True)
        .values_list(*REPORT_FIGURES)
        .first()
    )
    return dict(zip(REPORT_FIGURES, row, strict=True)) if row is not None else None


class NotPrepared(Exception):
    """Why no draft opens (the words the person reads); ``missing``: the policy or the enterprise is not
    theirs to open (answered as not found)."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.message, self.missing = message, missing


def _policy(code: str, target: str) -> tuple[Policy, Service]:
    """The policy in force with this code that applies through a service, and the service."""
    on = timezone.localdate()
    policy = next((p for p in published(on, target) if p.code == code), None)
    service = policy.service if policy is not None and policy.on_match == OnMatch.CASE else None
    if policy is None or service is None:
        raise NotPrepared(_("No application is prepared for this policy."), missing=True)
    return policy, service


def _granted(found: list[Any], policy: Policy) -> None:
    if not any(f.policy.code == policy.code and f.status == EntitlementStatus.GRANTED for f in found):
        raise NotPrepared(
            _("The newest results no longer grant you %(policy)s; the calculator shows why.")
            % {"policy": str(policy)}
        )


def prepared_case(*, viewer: User, code: str, enterprise_id: Any = None) -> tuple[Case, bool]:
    """The draft a policy's notice points to, prepared now when it is not yet (``case_prepare``), for the
    signed-in talent or, with ``enterprise_id``, for an enterprise the viewer administers (one draft per
    enterprise: once one administrator prepared it, another is told it is among theirs). Returns the
    draft and whether it was prepared now; raises ``NotPrepared`` with the reason."""
    target = "enterprise" if enterprise_id is not None else "talent"
    policy, service = _policy(code, target)
    key = f"policy:{policy.code}"[:64]
    if enterprise_id is None:
        talent = talent_own_archive(viewer=viewer, related=False)
        if talent is None:
            raise NotPrepared(_("Only talents with an archive may apply; sign up first."), missing=True)
        found = found_for(talent=talent)
        existing = next((f.case_id for f in found if f.policy.code == policy.code and f.case_id), None)
        if existing is not None:
            return Case.objects.get(pk=existing), False
        _granted(found, policy)
        problem = eligibility_problem(service, talent) if not service.for_enterprises else None
        if problem is not None:
            raise NotPrepared(problem)
        prepare: dict[str, Any] = {"talent": talent}
    else:
        enterprise = Enterprise.objects.filter(
            pk=enterprise_id, members__user=viewer, members__is_admin=True
        ).first()
        if enterprise is None:
            raise NotPrepared(_("No application is prepared for this policy."), missing=True)
        cases = Case.objects.filter(enterprise=enterprise, idempotency_key=key)
        first = cases.order_by("created_at").first()
        if first is not None and first.applicant_id == viewer.pk:
            return first, False
        if first is not None:  # an application is the applicant's own: another administrator cannot open it
            raise NotPrepared(
                _(
                    "Another administrator of the enterprise has already opened this application; it is "
                    "among their cases."
                )
            )
        _granted(found_for(enterprise=enterprise, account=viewer), policy)
        data = report_figures(enterprise.pk, timezone.localdate())
        prepare = {"enterprise": enterprise, "applicant": viewer, "data": data}
    try:
        case = case_prepare(service=service, key=key, note=prepared_note(policy), **prepare)
    except IntegrityError:  # the same person opened it twice at once: the other request prepared it
        case = Case.objects.filter(applicant=viewer, idempotency_key=key).first()
    if case is None:
        raise NotPrepared(_("%(service)s takes no applications now.") % {"service": str(service)})
    return case, True

"""Enterprise services (一企一档): the record and its history, yearly figures, the enterprise's accounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import Perm, has_perm, require_perm
from talentcloud.accounts.scope import keeps_in_scope, reference_errors
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed

from .models import (
    AnnualReport,
    Enterprise,
    EnterpriseChange,
    EnterpriseMember,
    MembershipRequest,
    MembershipStatus,
)


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
    if not has_perm(actor, Perm.ENTERPRISE_REPORT):
        raise PermissionDenied()
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
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)  # one submission at a time
        AnnualReport.objects.filter(enterprise=enterprise, year=year, current=True).update(current=False)
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


EDIT_FIELDS = ("name", "credit_code", "park", "street", "chain", "founded_on", "address", "tags")


def shown_value(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


PLACE_FIELDS = ("park", "street")


def enterprise_place_errors(
    *, actor: Any, values: dict[str, Any], changed: Any = PLACE_FIELDS
) -> dict[str, Any]:
    """Field → message for a place the actor may not give an enterprise: a park or street of the wrong
    kind, a place the actor may not name (a park's staff name only their own park; see
    ``accounts.scope.place_choices``), or a place that takes the enterprise out of the actor's area (its
    staff register it). ``changed``: the place fields the write sets (those not set are not checked
    again). Shared by the pages, the API and the import."""
    errors: dict[str, list[Any]] = {}
    park, street = values.get("park"), values.get("street")
    if park is not None and park.kind != "park":
        errors["park"] = [_("Choose a park.")]
    if street is None:
        errors["street"] = [_("Choose the street the enterprise is registered in.")]
    elif street.kind != "street":
        errors["street"] = [_("Choose a street.")]
    if errors:
        return errors
    errors = reference_errors(actor, {name: values.get(name) for name in PLACE_FIELDS if name in changed})
    if not errors and not keeps_in_scope(actor, {"park": park, "street": street}):
        errors["street"] = [_("This park or street is outside your area; its staff register it.")]
    return errors


def _check_place(*, actor: Any, values: dict[str, Any], changed: Any = PLACE_FIELDS) -> None:
    errors = enterprise_place_errors(actor=actor, values=values, changed=changed)
    if errors:
        raise ValidationFailed(fields=errors)


def _check_unique_code(credit_code: str, *, exclude: Any = None) -> None:
    taken = Enterprise.objects.filter(credit_code=credit_code).exclude(pk=exclude).first()
    if taken is not None:
        raise ValidationFailed(
            fields={"credit_code": [_("Already on the platform: %(name)s.") % {"name": taken.name}]}
        )


def enterprise_create(*, actor: Any, values: dict[str, Any]) -> Enterprise:
    require_perm(actor, Perm.ENTERPRISE_EDIT)
    _check_place(actor=actor, values=values)
    _check_unique_code(values["credit_code"])
    with transaction.atomic():
        enterprise = Enterprise.objects.create(**{k: v for k, v in values.items() if k in EDIT_FIELDS})
        EnterpriseChange.objects.create(
            enterprise=enterprise, actor=actor, via="create", field="name", after=enterprise.name
        )
        audit_record(
            actor=actor, action="enterprise.create", object_type="enterprise", object_id=enterprise.pk
        )
    return enterprise


def enterprise_update(*, actor: Any, enterprise: Enterprise, changes: dict[str, Any]) -> list[str]:
    """Apply the changed fields (the caller has loaded ``enterprise`` through the actor's scope). Each
    field's before and after goes to the history; one audit event names the fields."""
    require_perm(actor, Perm.ENTERPRISE_EDIT)
    changes = {k: v for k, v in changes.items() if k in EDIT_FIELDS and getattr(enterprise, k) != v}
    if not changes:
        return []
    merged = {name: changes.get(name, getattr(enterprise, name)) for name in EDIT_FIELDS}
    if "park" in changes or "street" in changes:
        _check_place(actor=actor, values=merged, changed=set(changes) & set(PLACE_FIELDS))
    if "credit_code" in changes:
        _check_unique_code(changes["credit_code"], exclude=enterprise.pk)
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        history = [
            EnterpriseChange(
                enterprise=locked,
                actor=actor,
                via="staff",
                field=name,
                before=shown_value(getattr(locked, name)),
                after=shown_value(value),
            )
            for name, value in changes.items()
        ]
        for name, value in changes.items():
            setattr(locked, name, value)
            setattr(enterprise, name, value)
        locked.save()
        EnterpriseChange.objects.bulk_create(history)
        audit_record(
            actor=actor,
            action="enterprise.update",
            object_type="enterprise",
            object_id=enterprise.pk,
            details={"fields": sorted(changes)},
        )
    return sorted(changes)


# -- the enterprise's own accounts (企业人事) --------------------------------------------------------


def membership_request(
    *, user: Any, enterprise: Enterprise, as_admin: bool, note: str = ""
) -> MembershipRequest:
    """An account asks to act for an enterprise. The first administrator of an enterprise is confirmed by
    its park or street staff; everyone else by the enterprise's administrator."""
    if EnterpriseMember.objects.filter(enterprise=enterprise, user=user).exists():
        raise Conflict(_("You already act for this enterprise."))
    if MembershipRequest.objects.filter(
        enterprise=enterprise, user=user, status=MembershipStatus.PENDING
    ).exists():
        raise Conflict(_("Your request for this enterprise is already waiting for confirmation."))
    with transaction.atomic():
        request = MembershipRequest.objects.create(
            enterprise=enterprise, user=user, as_admin=as_admin, note=note[:200]
        )
        audit_record(
            actor=user,
            action="enterprise.member_request",
            object_type="enterprise",
            object_id=enterprise.pk,
            details={"as_admin": as_admin},
        )
    return request


def is_enterprise_admin(user: Any, enterprise: Enterprise) -> bool:
    return EnterpriseMember.objects.filter(enterprise=enterprise, user=user, is_admin=True).exists()


def staff_in_charge(actor: Any, enterprise: Enterprise) -> bool:
    """Staff who may edit enterprises and have this one in their scope."""
    from talentcloud.accounts.scope import scope_queryset

    if not has_perm(actor, Perm.ENTERPRISE_EDIT):
        return False
    return scope_queryset(Enterprise.objects.filter(pk=enterprise.pk), actor).exists()


def can_decide(actor: Any, request: MembershipRequest) -> bool:
    """Who confirms: staff in charge confirm an administrator's request, or any request while the enterprise
    has no administrator; otherwise the enterprise's administrator does."""
    has_admin = EnterpriseMember.objects.filter(enterprise=request.enterprise, is_admin=True).exists()
    if request.as_admin or not has_admin:
        return staff_in_charge(actor, request.enterprise)
    return is_enterprise_admin(actor, request.enterprise)


def membership_decide(*, actor: Any, request_id: Any, approve: bool, note: str = "") -> MembershipRequest:
    from talentcloud.accounts.models import Role

    with transaction.atomic():
        request = (
            MembershipRequest.objects.select_for_update()
            .select_related("enterprise", "user")
            .filter(pk=request_id)
            .first()
        )
        if request is None or not can_decide(actor, request):
            raise PermissionDenied()
        if request.status != MembershipStatus.PENDING:
            raise Conflict(_("This request has already been decided."))
        if request.user_id == actor.pk:
            raise PermissionDenied(_("You cannot confirm your own request."))
        request.status = MembershipStatus.APPROVED if approve else MembershipStatus.REFUSED
        request.decided_by, request.decided_at = actor, timezone.now()
        if note:
            request.note = note[:200]
        request.save()
        if approve:
            EnterpriseMember.objects.create(
                enterprise=request.enterprise,
                user=request.user,
                is_admin=request.as_admin,
                confirmed_by=actor,
            )
            request.user.roles.add(Role.objects.get(code="enterprise-hr"))
        audit_record(
            actor=actor,
            action="enterprise.member_approve" if approve else "enterprise.member_refuse",
            object_type="enterprise",
            object_id=request.enterprise_id,
            details={"user": request.user.username, "as_admin": request.as_admin},
        )
    return request


def member_remove(*, actor: Any, member_id: int) -> None:
    """The enterprise's administrator (or its staff) ends an account's right to act for the enterprise."""
    from talentcloud.accounts.models import Role

    with transaction.atomic():
        member = EnterpriseMember.objects.select_related("enterprise", "user").filter(pk=member_id).first()
        if member is None:
            raise PermissionDenied()
        if not (staff_in_charge(actor, member.enterprise) or is_enterprise_admin(actor, member.enterprise)):
            raise PermissionDenied()
        if member.user_id == actor.pk:
            raise Conflict(_("You cannot remove yourself; another administrator or the staff can."))
        member.delete()
        if not EnterpriseMember.objects.filter(user=member.user).exists():
            member.user.roles.remove(Role.objects.get(code="enterprise-hr"))
        audit_record(
            actor=actor,
            action="enterprise.member_remove",
            object_type="enterprise",
            object_id=member.enterprise_id,
            details={"user": member.user.username},
        )


def enterprise_by_code(credit_code: str) -> Enterprise:
    """The enterprise a person names by its credit code when asking to act for it."""
    enterprise = Enterprise.objects.filter(credit_code=credit_code.strip().upper()).first()
    if enterprise is None:
        raise ValidationFailed(
            fields={
                "credit_code": [
                    _(
                        "No enterprise with this code is on the platform yet. "
                        "Ask your park or street staff to register it."
                    )
                ]
            }
        )
    return enterprise


def enterprise_account_register(
    *,
    username: str,
    password: str,
    name: str,
    id_number: str,
    phone: str,
    code: str,
    credit_code: str,
    as_admin: bool,
) -> MembershipRequest:
    """Sign-up of an enterprise's HR or administrator: the same real-name checks as a talent's sign-up, then
    a request to act for the enterprise. The account can do nothing for the enterprise until confirmed."""
    from talentcloud.accounts.models import Role
    from talentcloud.accounts.services import user_create
    from talentcloud.talents.registration import person_verify

    enterprise = enterprise_by_code(credit_code)
    name, _id_number, _phone = person_verify(
        username=username, name=name, id_number=id_number, phone=phone, code=code
    )
    with transaction.atomic():
        user = user_create(
            actor=None,
            username=username,
            password=password,
            unit=None,
            roles=[Role.objects.get(code="enterprise-hr")],
            display_name=name,
        )
        return membership_request(user=user, enterprise=enterprise, as_admin=as_admin)

"""Enterprise services (一企一档): the record and its history, yearly figures, the enterprise's accounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.identity import person_verify
from talentcloud.accounts.models import Role
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.scope import keeps_in_scope, reference_errors, scope_queryset
from talentcloud.accounts.services import user_create
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.common.validators import validate_credit_code

from .changes import enterprises_changed
from .clashes import clash_sync, credit_code_check
from .models import (
    AnnualReport,
    ClashVia,
    Enterprise,
    EnterpriseChange,
    EnterpriseMember,
    MembershipRequest,
    MembershipStatus,
)
from .permissions import EnterprisePerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import User


def annual_report_submit(
    *,
    actor: User,
    enterprise: Enterprise,
    year: int,
    revenue: Decimal,
    rd_spend: Decimal,
    staff: int,
    patents: int,
    funding_raised: Decimal = Decimal(0),
) -> AnnualReport:
    if not has_perm(actor, EnterprisePerm.REPORT):
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
    *, actor: User, values: dict[str, Any], changed: Any = PLACE_FIELDS
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


def _check_place(*, actor: User, values: dict[str, Any], changed: Any = PLACE_FIELDS) -> None:
    errors = enterprise_place_errors(actor=actor, values=values, changed=changed)
    if errors:
        raise ValidationFailed(fields=errors)


def enterprise_create(*, actor: User, values: dict[str, Any]) -> Enterprise:
    require_perm(actor, EnterprisePerm.EDIT)
    _check_place(actor=actor, values=values)
    # A code held outside the actor's scope is answered like a new one; the office resolves it (ADR 0010).
    holder = credit_code_check(actor=actor, credit_code=values["credit_code"])
    with transaction.atomic():
        enterprise = Enterprise.objects.create(
            **{k: v for k, v in values.items() if k in EDIT_FIELDS}, pending_merge=holder is not None
        )
        EnterpriseChange.objects.create(
            enterprise=enterprise, actor=actor, via="create", field="name", after=enterprise.name
        )
        clash = clash_sync(actor=actor, record=enterprise, holder=holder, via=ClashVia.CREATE)
        if clash is None:
            requests_attach([enterprise])
        audit_record(
            actor=actor,
            action="enterprise.create",
            object_type="enterprise",
            object_id=enterprise.pk,
            details={"clash": str(clash.pk)} if clash is not None else None,
        )
    return enterprise


def enterprise_update(*, actor: User, enterprise: Enterprise, changes: dict[str, Any]) -> list[str]:
    """Apply the changed fields (the caller has loaded ``enterprise`` through the actor's scope). Each
    field's before and after goes to the history; one audit event names the fields."""
    require_perm(actor, EnterprisePerm.EDIT)
    changes = {k: v for k, v in changes.items() if k in EDIT_FIELDS and getattr(enterprise, k) != v}
    if not changes:
        return []
    merged = {name: changes.get(name, getattr(enterprise, name)) for name in EDIT_FIELDS}
    if "park" in changes or "street" in changes:
        _check_place(actor=actor, values=merged, changed=set(changes) & set(PLACE_FIELDS))
    holder = None
    if "credit_code" in changes:
        holder = credit_code_check(actor=actor, credit_code=changes["credit_code"], exclude=enterprise.pk)
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if "credit_code" in changes:
            locked.pending_merge = enterprise.pending_merge = holder is not None
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
        enterprises_changed([locked], changes)  # its talents follow its place and name, set-based
        details: dict[str, Any] = {"fields": sorted(changes)}
        if "credit_code" in changes:
            clash = clash_sync(actor=actor, record=locked, holder=holder, via=ClashVia.EDIT)
            if clash is not None:
                details["clash"] = str(clash.pk)
            else:
                requests_attach([locked])
        audit_record(
            actor=actor,
            action="enterprise.update",
            object_type="enterprise",
            object_id=enterprise.pk,
            details=details,
        )
    return sorted(changes)


# -- the enterprise's own accounts (企业人事) --------------------------------------------------------


REQUEST_SENT = _("Your request was sent; the enterprise's administrator or the park will confirm it.")


def _valid_code(credit_code: str) -> str:
    try:
        return validate_credit_code(credit_code.strip().upper())
    except ValidationError as exc:
        raise ValidationFailed(fields={"credit_code": list(exc.messages)}) from None


def membership_request(*, user: Any, credit_code: str, as_admin: bool, note: str = "") -> MembershipRequest:
    """An account asks to act for the enterprise with this credit code. The answer is the same whether or not
    such an enterprise is on the platform (ADR 0010): the request is kept with the code and linked to the
    enterprise when there is one, now or once it is registered. The first administrator of an enterprise is
    confirmed by its park or street staff; everyone else by the enterprise's administrator."""
    code = _valid_code(credit_code)
    enterprise = Enterprise.objects.filter(credit_code=code, pending_merge=False).first()
    if enterprise is not None and EnterpriseMember.objects.filter(enterprise=enterprise, user=user).exists():
        raise Conflict(_("You already act for this enterprise."))  # a member knows the enterprise
    waiting = _("Your request for this enterprise is already waiting for confirmation.")
    if MembershipRequest.objects.filter(
        credit_code=code, user=user, status=MembershipStatus.PENDING
    ).exists():
        raise Conflict(waiting)
    try:
        with transaction.atomic():
            request = MembershipRequest.objects.create(
                credit_code=code, enterprise=enterprise, user=user, as_admin=as_admin, note=note[:200]
            )
            audit_record(
                actor=user,
                action="enterprise.member_request",
                object_type="membership_request",
                object_id=request.pk,
                details={"as_admin": as_admin, "enterprise": str(enterprise.pk) if enterprise else None},
            )
    except IntegrityError:
        raise Conflict(waiting) from None
    return request


def requests_attach(enterprises: list[Enterprise]) -> int:
    """Link the waiting requests that named these enterprises' codes before they were on the platform."""
    attached = 0
    for enterprise in enterprises:
        if not enterprise.pending_merge:
            attached += MembershipRequest.objects.filter(
                enterprise__isnull=True, credit_code=enterprise.credit_code, status=MembershipStatus.PENDING
            ).update(enterprise=enterprise)
    return attached


def is_enterprise_admin(user: Any, enterprise: Enterprise) -> bool:
    return EnterpriseMember.objects.filter(enterprise=enterprise, user=user, is_admin=True).exists()


def staff_in_charge(actor: User, enterprise: Enterprise) -> bool:
    """Staff who may edit enterprises and have this one in their scope."""
    if not has_perm(actor, EnterprisePerm.EDIT):
        return False
    return scope_queryset(Enterprise.objects.filter(pk=enterprise.pk), actor).exists()


def can_decide(actor: User, request: MembershipRequest) -> bool:
    """Who confirms: staff in charge confirm an administrator's request, or any request while the enterprise
    has no administrator; otherwise the enterprise's administrator does."""
    if request.enterprise is None:
        return False  # no enterprise with the code asked for (yet): nobody decides
    has_admin = EnterpriseMember.objects.filter(enterprise=request.enterprise, is_admin=True).exists()
    if request.as_admin or not has_admin:
        return staff_in_charge(actor, request.enterprise)
    return is_enterprise_admin(actor, request.enterprise)


def membership_decide(*, actor: User, request_id: Any, approve: bool, note: str = "") -> MembershipRequest:

    with transaction.atomic():
        request = (
            MembershipRequest.objects.select_for_update(of=("self",))
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
        assert request.enterprise is not None  # can_decide refuses a request with no enterprise
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


def member_remove(*, actor: User, member_id: int) -> None:
    """The enterprise's administrator (or its staff) ends an account's right to act for the enterprise."""
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
    _valid_code(credit_code)  # before the account is made; whether the enterprise exists is not said
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
        return membership_request(user=user, credit_code=credit_code, as_admin=as_admin)

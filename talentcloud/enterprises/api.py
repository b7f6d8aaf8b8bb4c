import uuid
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.forms import form_changes
from talentcloud.apikit.pagination import Pages
from talentcloud.apikit.schemas import ChangeOut
from talentcloud.common.access import api_access
from talentcloud.common.errors import ValidationFailed

from . import selectors, services
from .forms import EnterpriseForm
from .models import Enterprise, MembershipRequest
from .permissions import EnterprisePerm

router = Router(tags=["enterprises"])


class EnterpriseOut(Schema):
    id: uuid.UUID
    name: str
    credit_code: str
    park_code: str | None
    street_code: str
    chain_code: str | None
    founded_on: date | None

    @staticmethod
    def resolve_park_code(obj: object) -> str | None:
        park = getattr(obj, "park", None)
        return park.code if park else None

    @staticmethod
    def resolve_street_code(obj: object) -> str:
        return obj.street.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_chain_code(obj: object) -> str | None:
        chain = getattr(obj, "chain", None)
        return chain.code if chain else None


@router.get("", response=list[EnterpriseOut], openapi_extra=api_access("scoped"))
@paginate(Pages, page_size=50)
def enterprises_list(request: HttpRequest, q: str = "", chain: str = "") -> object:
    return selectors.enterprise_list(viewer=request.user, query=q[:100], chain=chain)


@router.get("/{uuid:enterprise_id}", response=EnterpriseOut, openapi_extra=api_access("scoped"))
def enterprises_detail(request: HttpRequest, enterprise_id: uuid.UUID) -> object:
    return selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)


class EnterpriseIn(Schema):
    """Park and street by org-unit id, chain by industry-chain id; tags as a list."""

    model_config = ConfigDict(extra="forbid")  # an unknown field is an error, not ignored

    name: str | None = None
    credit_code: str | None = None
    street: int | None = None
    park: int | None = None
    chain: int | None = None
    founded_on: date | None = None
    address: str | None = None
    tags: list[str] | None = None


def _checked(payload: EnterpriseIn, instance: Enterprise, viewer: object) -> dict[str, object]:
    return form_changes(EnterpriseForm, instance, payload.dict(exclude_unset=True), viewer=viewer)


@router.post("", response={201: EnterpriseOut}, openapi_extra=api_access("scoped"))
def enterprises_create(request: AuthedRequest, payload: EnterpriseIn) -> Status:
    require_perm(request.user, EnterprisePerm.EDIT)
    values = _checked(payload, Enterprise(), request.user)
    enterprise = services.enterprise_create(actor=request.user, values=values)
    return Status(201, selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise.pk))


@router.patch("/{uuid:enterprise_id}", response=EnterpriseOut, openapi_extra=api_access("scoped"))
def enterprises_update(request: AuthedRequest, enterprise_id: uuid.UUID, payload: EnterpriseIn) -> object:
    require_perm(request.user, EnterprisePerm.EDIT)
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    services.enterprise_update(
        actor=request.user, enterprise=enterprise, changes=_checked(payload, enterprise, request.user)
    )
    return selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)


@router.get("/{uuid:enterprise_id}/changes", response=list[ChangeOut], openapi_extra=api_access("scoped"))
@paginate(Pages, page_size=100)
def enterprises_changes(request: HttpRequest, enterprise_id: uuid.UUID) -> object:
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    return enterprise.changes.select_related("actor")


class ReportIn(Schema):
    year: int
    revenue: Decimal
    rd_spend: Decimal
    staff: int
    patents: int
    funding_raised: Decimal = Decimal(0)


class ReportOut(ReportIn):
    created_at: datetime


@router.post("/{uuid:enterprise_id}/reports", response={201: ReportOut}, openapi_extra=api_access("scoped"))
def enterprises_report(request: AuthedRequest, enterprise_id: uuid.UUID, payload: ReportIn) -> Status:
    """Yearly figures (10k yuan); a second submission for a year is kept as a revision."""
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    report = services.annual_report_submit(actor=request.user, enterprise=enterprise, **payload.dict())
    return Status(201, report)


class MemberOut(Schema):
    id: int
    username: str
    is_admin: bool
    created_at: datetime

    @staticmethod
    def resolve_username(obj: object) -> str:
        return obj.user.username  # type: ignore[attr-defined]


@router.get("/{uuid:enterprise_id}/members", response=list[MemberOut], openapi_extra=api_access("scoped"))
def enterprises_members(request: HttpRequest, enterprise_id: uuid.UUID) -> object:
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    return enterprise.members.select_related("user")


class MembershipIn(Schema):
    credit_code: str
    as_admin: bool = False


class MembershipOut(Schema):
    id: uuid.UUID
    enterprise_id: uuid.UUID
    username: str
    as_admin: bool
    status: str
    note: str
    created_at: datetime

    @staticmethod
    def resolve_username(obj: object) -> str:
        return obj.user.username  # type: ignore[attr-defined]


class MembershipRequestedOut(Schema):
    """What the asker sees of their request: the code they asked with, never the enterprise's id (ADR
    0010)."""

    id: uuid.UUID
    credit_code: str
    as_admin: bool
    status: str
    note: str
    created_at: datetime


class MembershipSentOut(MembershipRequestedOut):
    message: str


class DecisionIn(Schema):
    approve: bool
    note: str = ""


@router.post("/memberships", response={201: MembershipSentOut}, openapi_extra=api_access("own"))
def memberships_create(request: HttpRequest, payload: MembershipIn) -> Status:
    """The signed-in account asks to act for an enterprise named by its credit code. The answer is the same
    whether or not such an enterprise is on the platform."""
    membership = services.membership_request(
        user=request.user, credit_code=payload.credit_code, as_admin=payload.as_admin
    )
    answer = MembershipRequestedOut.from_orm(membership).dict()
    return Status(201, {**answer, "message": str(services.REQUEST_SENT)})


@router.get("/memberships/mine", response=list[MembershipRequestedOut], openapi_extra=api_access("own"))
def memberships_mine(request: HttpRequest) -> object:
    """The caller's own requests, with the code each asked with."""
    return MembershipRequest.objects.filter(user=request.user)  # type: ignore[misc]


@router.get("/memberships/pending", response=list[MembershipOut], openapi_extra=api_access("scoped"))
def memberships_pending(request: AuthedRequest) -> object:
    """Requests the caller may confirm now."""
    pending = scope_queryset(
        MembershipRequest.objects.filter(status="pending").select_related("enterprise", "user"), request.user
    )
    return [r for r in pending[:500] if services.can_decide(request.user, r)]


@router.post(
    "/memberships/{uuid:membership_id}/decide", response=MembershipOut, openapi_extra=api_access("scoped")
)
def memberships_decide(request: AuthedRequest, membership_id: uuid.UUID, payload: DecisionIn) -> object:
    if len(payload.note) > 200:
        raise ValidationFailed(fields={"note": [_("At most 200 characters.")]})
    return services.membership_decide(
        actor=request.user, request_id=membership_id, approve=payload.approve, note=payload.note
    )

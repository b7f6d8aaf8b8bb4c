import uuid
from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from talentcloud.common.access import api_access

from . import selectors, services
from .enums import RightsRequestKind

router = Router(tags=["talents"])


class TalentOut(Schema):
    id: uuid.UUID
    name: str
    gender: str
    birth_date: date
    highest_degree: str
    category: str
    employer_id: uuid.UUID | None
    employer_name: str | None
    post: str
    chain_code: str | None
    arrived_on: date | None

    @staticmethod
    def resolve_employer_name(obj: object) -> str | None:
        employer = getattr(obj, "employer", None)
        return employer.name if employer else None

    @staticmethod
    def resolve_chain_code(obj: object) -> str | None:
        chain = getattr(obj, "chain", None)
        return chain.code if chain else None


@router.get("", response=list[TalentOut], openapi_extra=api_access("scoped"))
@paginate(PageNumberPagination, page_size=50)
def talents_list(request: HttpRequest, q: str = "", category: str = "") -> object:
    return selectors.talent_list(viewer=request.user, query=q[:100], category=category)


@router.get("/{uuid:talent_id}", response=TalentOut, openapi_extra=api_access("scoped"))
def talents_detail(request: HttpRequest, talent_id: uuid.UUID) -> object:
    return selectors.talent_get(viewer=request.user, talent_id=talent_id)


class RightsRequestOut(Schema):
    id: uuid.UUID
    talent_id: uuid.UUID
    kind: str
    status: str
    received_on: date
    due_on: date
    answer: str
    deletion_outcome: str


class RightsRequestIn(Schema):
    kind: RightsRequestKind
    details: str = Field("", max_length=2000)


class RightsAnswerIn(Schema):
    action: Literal["complete", "refuse"]
    answer: str = Field(..., max_length=2000)
    deletion_outcome: str = ""


@router.get("/requests", response=list[RightsRequestOut], openapi_extra=api_access("scoped"))
@paginate(PageNumberPagination, page_size=50)
def rights_requests_list(request: HttpRequest, status: str = "") -> object:
    return selectors.rights_request_list(viewer=request.user, status=status)


@router.post(
    "/{uuid:talent_id}/requests", response={201: RightsRequestOut}, openapi_extra=api_access("scoped")
)
def rights_requests_create(request: HttpRequest, talent_id: uuid.UUID, payload: RightsRequestIn) -> Status:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    created = services.rights_request_create(
        actor=request.user, talent=talent, kind=payload.kind, details=payload.details
    )
    return Status(201, created)


@router.post(
    "/requests/{uuid:request_id}/answer", response=RightsRequestOut, openapi_extra=api_access("scoped")
)
def rights_requests_answer(request: HttpRequest, request_id: uuid.UUID, payload: RightsAnswerIn) -> object:
    item = selectors.rights_request_get(viewer=request.user, request_id=request_id)
    if payload.action == "refuse":
        return services.rights_request_refuse(actor=request.user, request=item, answer=payload.answer)
    return services.rights_request_complete(
        actor=request.user, request=item, answer=payload.answer, deletion_outcome=payload.deletion_outcome
    )


@router.get("/{uuid:talent_id}/data", response=dict[str, object], openapi_extra=api_access("scoped"))
def talent_data_copy(request: HttpRequest, talent_id: uuid.UUID) -> object:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    return services.talent_data_copy(actor=request.user, talent=talent)

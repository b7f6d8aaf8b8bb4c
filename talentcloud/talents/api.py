import uuid
from datetime import date
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from talentcloud.common.access import api_access
from talentcloud.common.errors import ValidationFailed

from . import liaison, selectors, services
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


class NeedOut(Schema):
    id: uuid.UUID
    talent_id: uuid.UUID
    title: str
    owner_department_code: str
    raised_on: date
    due_on: date
    status: str
    reply: str

    @staticmethod
    def resolve_owner_department_code(obj: object) -> str:
        return obj.owner_department.code  # type: ignore[attr-defined]


class NeedIn(Schema):
    title: str = Field(..., max_length=200)
    owner_department_code: str
    details: str = Field("", max_length=2000)


class ContactIn(Schema):
    kind: str
    happened_on: date
    summary: str = Field("", max_length=4000)
    needs: list[NeedIn] = []


class ContactOut(Schema):
    id: int
    talent_id: uuid.UUID
    kind: str
    happened_on: date
    need_ids: list[uuid.UUID]


class ReplyIn(Schema):
    reply: str = Field(..., max_length=4000)


class FactOut(Schema):
    key: str
    value: object
    source: str
    as_of: date
    verified: bool
    status: str


@router.get("/needs", response=list[NeedOut], openapi_extra=api_access("scoped"))
@paginate(PageNumberPagination, page_size=50)
def needs_list(request: HttpRequest, status: str = "", overdue: bool = False) -> object:
    return liaison.need_list(viewer=request.user, status=status, overdue=overdue)


@router.post("/needs/{uuid:need_id}/reply", response=NeedOut, openapi_extra=api_access("scoped"))
def needs_reply(request: HttpRequest, need_id: uuid.UUID, payload: ReplyIn) -> object:
    need = liaison.need_get(viewer=request.user, need_id=need_id)
    return liaison.need_reply(actor=request.user, need=need, reply=payload.reply)


@router.post("/{uuid:talent_id}/contacts", response={201: ContactOut}, openapi_extra=api_access("scoped"))
def contacts_create(request: HttpRequest, talent_id: uuid.UUID, payload: ContactIn) -> Status:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    departments = {u.code: u for u in liaison.department_choices()}
    unknown = [n.owner_department_code for n in payload.needs if n.owner_department_code not in departments]
    if unknown:
        raise ValidationFailed(fields={"needs": [_("Unknown department: %s") % ", ".join(unknown)]})
    contact = liaison.contact_log(
        actor=request.user,
        talent=talent,
        kind=payload.kind,
        happened_on=payload.happened_on,
        summary=payload.summary,
        needs=[
            liaison.NeedInput(
                title=n.title, owner_department=departments[n.owner_department_code], details=n.details
            )
            for n in payload.needs
        ],
    )
    return Status(
        201,
        {
            "id": contact.pk,
            "talent_id": talent.pk,
            "kind": contact.kind,
            "happened_on": contact.happened_on,
            "need_ids": [n.pk for n in contact.needs.all()],
        },
    )


@router.get("/{uuid:talent_id}/facts", response=list[FactOut], openapi_extra=api_access("scoped"))
def talent_facts(request: HttpRequest, talent_id: uuid.UUID) -> object:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    return talent.facts.order_by("-created_at", "-id")[:200]

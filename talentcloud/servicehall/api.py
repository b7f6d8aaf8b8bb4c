"""The service hall's API: the catalogue (public), applying with an idempotency key, following and acting on
cases (the same workflow table and scope as the pages), the worklist, rating reports."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.pagination import Pages
from talentcloud.audit.services import request_ip
from talentcloud.common.access import api_access
from talentcloud.common.errors import NotFound, ValidationFailed
from talentcloud.privacy.services import pii_api_door
from talentcloud.rules import explain

from . import cases, corrections, ratings
from .catalogue import answers_for_display, services_open
from .workflow import case_transition

router = Router(tags=["service hall"])


class ServiceOut(Schema):
    code: str
    name: str
    name_en: str
    department: str
    limit: str
    for_enterprises: bool
    eligibility: dict[str, Any]  # who may apply, a rule of the rule language ({}: anyone with an archive)
    eligibility_text: list[str]  # the same rule in plain words, in the request's language
    form_fields: list[dict[str, Any]]
    materials: list[dict[str, Any]]

    @staticmethod
    def resolve_department(obj: Any) -> str:
        return str(obj.department.code)

    @staticmethod
    def resolve_eligibility_text(obj: Any) -> list[str]:
        return [line.text for line in explain.conditions(obj.eligibility, {})] if obj.eligibility else []

    @staticmethod
    def resolve_limit(obj: Any) -> str:
        return obj.current.limit_text() if obj.current else ""

    @staticmethod
    def resolve_form_fields(obj: Any) -> list[dict[str, Any]]:
        return list(obj.current.form_fields) if obj.current else []

    @staticmethod
    def resolve_materials(obj: Any) -> list[dict[str, Any]]:
        return list(obj.current.materials) if obj.current else []


@router.get("/services", response=list[ServiceOut], openapi_extra=api_access("public"), auth=None)
def services_list(request: HttpRequest) -> object:
    return services_open()


@router.get("/services/{code}", response=ServiceOut, openapi_extra=api_access("public"), auth=None)
def services_detail(request: HttpRequest, code: str) -> object:
    return get_object_or_404(services_open(), code=code)


class CaseOut(Schema):
    id: uuid.UUID
    number: str | None
    service: str
    version: int
    state: str
    revision: int
    department: str
    colour: str
    submitted_at: datetime | None
    accepted_on: date | None
    due_on: date | None
    request_note: str
    decision: str
    decision_reason: str
    answer: str

    @staticmethod
    def resolve_service(obj: Any) -> str:
        return str(obj.service.code)

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.version.number)

    @staticmethod
    def resolve_department(obj: Any) -> str:
        return str(obj.department.code)

    @staticmethod
    def resolve_colour(obj: Any) -> str:
        return str(obj.colour(timezone.localdate()))


class CaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    service: str
    answers: dict[str, Any] = {}
    idempotency_key: str = Field(
        "", max_length=64, description="unique per applicant: the same key again returns the same case"
    )
    submit: bool = Field(True, description="submit now (false: keep as a draft to add materials first)")


@router.post("/cases", response={200: CaseOut, 201: CaseOut}, openapi_extra=api_access("own"))
def cases_create(request: AuthedRequest, payload: CaseIn) -> Status:
    """Apply. Send an ``idempotency_key`` (or an ``Idempotency-Key`` header): a retry makes no new case."""
    service = get_object_or_404(services_open(), code=payload.service)
    key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")[:64]
    if not key:
        raise ValidationFailed(fields={"idempotency_key": [_("Send an idempotency key.")]})
    user: Any = request.user
    existed = cases.Case.objects.filter(applicant=user, idempotency_key=key).exists()
    if payload.submit:
        case = cases.case_submit(
            actor=request.user, service=service, data=payload.answers, idempotency_key=key
        )
    else:
        case = cases.case_draft_save(
            actor=request.user, service=service, data=payload.answers, idempotency_key=key
        )
    return Status(200 if existed else 201, case)


@router.get("/cases", response=list[CaseOut], openapi_extra=api_access("own"))
@paginate(Pages, page_size=50)
def cases_mine(request: AuthedRequest) -> object:
    return cases.my_cases(viewer=request.user).select_related("version")


@router.get("/cases/{uuid:case_id}", response=CaseOut, openapi_extra=api_access("scoped"))
def cases_detail(request: HttpRequest, case_id: uuid.UUID) -> object:
    return cases.case_get(viewer=request.user, case_id=case_id)


class AnswersIn(Schema):
    answers: dict[str, Any]


class AnswerOut(Schema):
    key: str
    label: str
    value: str
    masked: bool = Field(description="value is masked: get it through POST /cases/{id}/unmask")


class UnmaskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    field: str = Field(max_length=60, description="the answer's key, e.g. bank_account")
    reason: str = Field(max_length=200, description="why you need it (recorded)")


class UnmaskOut(Schema):
    field: str
    value: str


@router.get("/cases/{uuid:case_id}/answers", response=list[AnswerOut], openapi_extra=api_access("scoped"))
def cases_answers_read(request: HttpRequest, case_id: uuid.UUID) -> object:
    """The case's answers. Numbers such as a bank account (6222 **** **** 1234) and other sensitive answers
    come masked, to everyone: ``POST /cases/{id}/unmask`` gives one in clear."""
    case = cases.case_get(viewer=request.user, case_id=case_id)
    rows = answers_for_display(case.version, cases.answers(case), mask_sensitive=True, mask_numbers=True)
    return [{"key": r.key, "label": r.label, "value": r.text, "masked": r.masked} for r in rows]


@router.post(
    "/cases/{uuid:case_id}/unmask",
    response=UnmaskOut,
    openapi_extra=api_access("scoped", rate_limit=settings.RATELIMIT_PII),
)
def cases_unmask(request: AuthedRequest, case_id: uuid.UUID, payload: UnmaskIn) -> object:
    """One masked answer in clear: the ``pii.unmask`` permission and a reason (audited, as on the page), a
    step-up within 5 minutes (403 ``step_up_required``; ``POST /api/v1/auth/step-up``); rate-limited per
    user (429)."""
    pii_api_door(request)
    case = cases.case_get(viewer=request.user, case_id=case_id)
    value = cases.case_answer_unmask(
        actor=request.user,
        case=case,
        key=payload.field,
        reason=payload.reason,
        source_ip=request_ip(request),
    )
    return {"field": payload.field, "value": value}


@router.patch("/cases/{uuid:case_id}/answers", response=CaseOut, openapi_extra=api_access("scoped"))
def cases_answers(request: AuthedRequest, case_id: uuid.UUID, payload: AnswersIn) -> object:
    case = cases.case_get(viewer=request.user, case_id=case_id)
    return cases.case_draft_save(actor=request.user, service=case.service, data=payload.answers, case=case)


class MaterialOut(Schema):
    id: uuid.UUID
    key: str
    display_name: str
    content_type: str
    size: int


@router.post(
    "/cases/{uuid:case_id}/materials", response={201: MaterialOut}, openapi_extra=api_access("scoped")
)
def cases_material(
    request: AuthedRequest, case_id: uuid.UUID, key: Form[str], file: File[UploadedFile]
) -> Status:
    """Add a material (multipart): type by content, size and count per the service's rules."""
    case = cases.case_get(viewer=request.user, case_id=case_id)
    return Status(201, cases.material_add(actor=request.user, case=case, key=key, upload=file))


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    request_answers: dict[str, str] = Field(
        {}, description="text answers to the open 补正 request's items by key (GET /cases/{id}/request)"
    )


@router.post(
    "/cases/{uuid:case_id}/submit",
    response=CaseOut,
    openapi_extra={
        **api_access("scoped"),
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": SubmitIn.model_json_schema()}},
        },
    },
)
def cases_submit(request: AuthedRequest, case_id: uuid.UUID) -> object:
    """Submit a draft, or resubmit after more materials were asked for (each requested item provided: a
    file uploaded under the item's key, or a text answer). An incomplete case is refused with 422 naming
    each problem: form fields by their key, materials as ``materials.<slot>``, items as ``request.<key>``."""
    payload = SubmitIn(request_answers={})
    if request.content_type == "application/json" and request.body.strip():  # optional
        try:
            payload = SubmitIn.model_validate_json(request.body)
        except PydanticValidationError as exc:
            raise ValidationFailed(
                fields={".".join(str(p) for p in e["loc"]) or "body": [e["msg"]] for e in exc.errors()}
            ) from exc
    case = cases.case_get(viewer=request.user, case_id=case_id)
    return cases.case_submit(
        actor=request.user,
        service=case.service,
        data={},
        idempotency_key="",
        case=case,
        request_answers=payload.request_answers,
    )


class RequestItemOut(Schema):
    key: str
    label: str
    slot: bool = Field(description="a material slot of the service (upload under its key)")
    files: int
    answer: str


class RequestOut(Schema):
    number: int
    requested_at: datetime
    answered_at: datetime | None
    note: str
    items: list[RequestItemOut]


@router.get("/cases/{uuid:case_id}/request", response=RequestOut, openapi_extra=api_access("scoped"))
def cases_request(request: HttpRequest, case_id: uuid.UUID) -> object:
    """The case's latest 补正 request: every item asked for, how many files each has and its text answer.
    Upload a file for an item with ``POST /cases/{id}/materials`` (``key`` = the item's key)."""

    case = cases.case_get(viewer=request.user, case_id=case_id)
    latest = case.requests.order_by("-number").first()
    if latest is None:
        raise NotFound(_("No materials were asked for on this case."))
    files = corrections.item_files(case, latest)
    answered = corrections.answers_of(latest)
    return {
        "number": latest.number,
        "requested_at": latest.requested_at,
        "answered_at": latest.answered_at,
        "note": latest.note,
        "items": [
            {
                "key": item["key"],
                "label": corrections.item_label(item),
                "slot": bool(item.get("slot")),
                "files": len(files.get(item["key"], [])),
                "answer": answered.get(item["key"], ""),
            }
            for item in latest.items
        ],
    }


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(description="an action of the workflow table: accept, return, refuse, part_done, …")
    revision: int | None = Field(None, description="the revision you saw; a newer one makes this a conflict")
    note: str = ""
    materials: list[str] = Field([], description="return (补正): material slots to provide again")
    items: list[str] = Field([], description="return (补正): other items to provide, each in words")
    decision: str = ""
    level: int | None = None
    comment: str = ""
    handler: str = ""


@router.post("/cases/{uuid:case_id}/actions", response=CaseOut, openapi_extra=api_access("scoped"))
def cases_act(request: AuthedRequest, case_id: uuid.UUID, payload: ActionIn) -> object:
    """One workflow action: not possible from the case's state (409), not yours (403), input missing (422)."""
    case = cases.case_get(viewer=request.user, case_id=case_id)
    extra = {
        k: v for k, v in payload.dict().items() if k not in ("action", "revision") and v not in ("", None, [])
    }
    case_transition(
        actor=request.user, case=case, action=payload.action, expected_revision=payload.revision, **extra
    )
    return cases.case_get(viewer=request.user, case_id=case_id)


class EventOut(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    note: str


@router.get("/cases/{uuid:case_id}/events", response=list[EventOut], openapi_extra=api_access("scoped"))
def cases_events(request: HttpRequest, case_id: uuid.UUID) -> object:
    return cases.case_get(viewer=request.user, case_id=case_id).events.all()


@router.get("/worklist", response=list[CaseOut], openapi_extra=api_access("scoped"))
@paginate(Pages, page_size=50)
def worklist(
    request: AuthedRequest, state: str = "", colour: str = "", service: str = "", handler: str = ""
) -> object:
    filters = cases.worklist_filters(
        {"state": state, "colour": colour, "service": service, "handler": handler}
    )
    return cases.worklist(viewer=request.user, filters=filters)


class RatingRowOut(Schema):
    key: str
    label: str
    total: int
    average: float | None
    poor: int
    appealed_away: int


@router.get("/ratings/report", response=list[RatingRowOut], openapi_extra=api_access("scoped"))
def ratings_report(request: HttpRequest, by: str = "department") -> object:
    return ratings.rating_report(viewer=request.user, by="service" if by == "service" else "department")

import uuid
from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ConfigDict

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.forms import form_changes
from talentcloud.apikit.pagination import Pages
from talentcloud.apikit.schemas import ChangeOut
from talentcloud.audit.services import request_ip
from talentcloud.common.access import api_access
from talentcloud.common.errors import CopyRequestRequired, NotFound, ValidationFailed
from talentcloud.privacy.services import pii_api_door

from . import documents, liaison, programmes, selectors, services
from .enums import RightsRequestKind
from .forms import SelfProfileForm, TalentForm
from .models import TalentProgramme
from .permissions import TalentPerm

router = Router(tags=["talents"])


class TalentOut(Schema):
    id: uuid.UUID
    name: str
    gender: str
    birth_date: date
    highest_degree: str
    category: str
    tier: str
    grade: str
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
@paginate(Pages, page_size=50)
def talents_list(request: HttpRequest, q: str = "", category: str = "") -> object:
    return selectors.talent_list(viewer=request.user, query=q[:100], category=category)


class TalentPatchIn(Schema):
    """Only the fields sent change. Related records by id: employer (enterprise id), chain (industry chain
    id), residence_street (org unit id of a street)."""

    model_config = ConfigDict(extra="forbid")  # an unknown field is an error, not ignored

    name: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    highest_degree: str | None = None
    category: str | None = None
    employer: uuid.UUID | None = None
    post: str | None = None
    chain: int | None = None
    residence_street: int | None = None
    arrived_on: date | None = None
    graduated_on: date | None = None
    social_insurance_since: date | None = None
    owns_home_in_city: bool | None = None
    contact_every_days: int | None = None
    tags: list[str] | None = None


class SelfPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is an error, not ignored

    phone: str | None = None
    email: str | None = None
    post: str | None = None
    highest_degree: str | None = None
    graduated_on: date | None = None
    social_insurance_since: date | None = None
    owns_home_in_city: bool | None = None


class SelfUpdateOut(Schema):
    applied: list[str]
    pending: list[str] = Field(description="changes to verified facts, waiting for staff review")


@router.get("/me", response=TalentOut, openapi_extra=api_access("own"))
def talents_me(request: HttpRequest) -> object:
    talent = selectors.talent_own_archive(viewer=request.user)
    if talent is None:
        raise NotFound(_("No archive is linked to your account yet."))
    return talent


@router.patch("/me", response=SelfUpdateOut, openapi_extra=api_access("own"))
def talents_me_update(request: AuthedRequest, payload: SelfPatchIn) -> object:
    """A talent corrects their own record; a change to a verified fact waits for staff review."""
    talent = selectors.talent_own_archive(viewer=request.user)
    if talent is None:
        raise NotFound(_("No archive is linked to your account yet."))
    changes = form_changes(SelfProfileForm, talent, payload.dict(exclude_unset=True))
    return services.talent_self_update(actor=request.user, talent=talent, changes=changes)


@router.get("/{uuid:talent_id}", response=TalentOut, openapi_extra=api_access("scoped"))
def talents_detail(request: HttpRequest, talent_id: uuid.UUID) -> object:
    return selectors.talent_get(viewer=request.user, talent_id=talent_id)


@router.patch("/{uuid:talent_id}", response=TalentOut, openapi_extra=api_access("scoped"))
def talents_update(request: AuthedRequest, talent_id: uuid.UUID, payload: TalentPatchIn) -> object:
    """A staff edit (the same checks as the edit page); each change goes to the talent's history."""
    require_perm(request.user, TalentPerm.EDIT)
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    changes = form_changes(TalentForm, talent, payload.dict(exclude_unset=True), viewer=request.user)
    services.talent_update(actor=request.user, talent=talent, changes=changes)
    return selectors.talent_get(viewer=request.user, talent_id=talent_id)


@router.get("/{uuid:talent_id}/changes", response=list[ChangeOut], openapi_extra=api_access("scoped"))
@paginate(Pages, page_size=100)
def talents_changes(request: HttpRequest, talent_id: uuid.UUID) -> object:
    """The record's history, newest first; personal fields are masked."""
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    return talent.changes.select_related("actor")


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
@paginate(Pages, page_size=50)
def rights_requests_list(request: HttpRequest, status: str = "") -> object:
    return selectors.rights_request_list(viewer=request.user, status=status)


@router.post(
    "/{uuid:talent_id}/requests", response={201: RightsRequestOut}, openapi_extra=api_access("scoped")
)
def rights_requests_create(request: AuthedRequest, talent_id: uuid.UUID, payload: RightsRequestIn) -> Status:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    created = services.rights_request_create(
        actor=request.user, talent=talent, kind=payload.kind, details=payload.details
    )
    return Status(201, created)


@router.post(
    "/requests/{uuid:request_id}/answer", response=RightsRequestOut, openapi_extra=api_access("scoped")
)
def rights_requests_answer(request: AuthedRequest, request_id: uuid.UUID, payload: RightsAnswerIn) -> object:
    item = selectors.rights_request_get(viewer=request.user, request_id=request_id)
    if payload.action == "refuse":
        return services.rights_request_refuse(actor=request.user, request=item, answer=payload.answer)
    return services.rights_request_complete(
        actor=request.user, request=item, answer=payload.answer, deletion_outcome=payload.deletion_outcome
    )


@router.get(
    "/{uuid:talent_id}/data",
    response=dict[str, object],
    openapi_extra=api_access("scoped", rate_limit=settings.RATELIMIT_PII),
)
def talent_data_copy(request: AuthedRequest, talent_id: uuid.UUID) -> object:
    """Everything held about the person, in clear (PIPL art. 45), for the person or the office handling
    their request. Needs a step-up within 5 minutes (403 ``step_up_required``; ``POST /api/v1/auth/step-up``)
    and an open request for a copy (403 ``copy_request_required``); rate-limited per user (429)."""
    pii_api_door(request)
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    if talent.account_id is None or talent.account_id != request.user.pk:
        require_perm(request.user, TalentPerm.PIPL_HANDLE)  # the person, or the office handling requests
    if selectors.open_copy_request(viewer=request.user, talent=talent) is None:
        raise CopyRequestRequired()
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
@paginate(Pages, page_size=50)
def needs_list(request: HttpRequest, status: str = "", overdue: bool = False) -> object:
    return liaison.need_list(viewer=request.user, status=status, overdue=overdue)


@router.post("/needs/{uuid:need_id}/reply", response=NeedOut, openapi_extra=api_access("scoped"))
def needs_reply(request: AuthedRequest, need_id: uuid.UUID, payload: ReplyIn) -> object:
    need = liaison.need_get(viewer=request.user, need_id=need_id)
    return liaison.need_reply(actor=request.user, need=need, reply=payload.reply)


@router.post("/{uuid:talent_id}/contacts", response={201: ContactOut}, openapi_extra=api_access("scoped"))
def contacts_create(request: AuthedRequest, talent_id: uuid.UUID, payload: ContactIn) -> Status:
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


class DocumentOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    display_name: str
    content_type: str
    size: int
    uploaded_at: datetime


@router.get("/{uuid:talent_id}/documents", response=list[DocumentOut], openapi_extra=api_access("scoped"))
def talent_documents(request: HttpRequest, talent_id: uuid.UUID) -> object:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    return documents.document_list(viewer=request.user, talent=talent)


@router.post("/{uuid:talent_id}/documents", response={201: DocumentOut}, openapi_extra=api_access("scoped"))
def talent_documents_add(
    request: AuthedRequest,
    talent_id: uuid.UUID,
    kind: Form[str],
    file: File[UploadedFile],
    title: Form[str] = "",
) -> Status:
    """Add a document (multipart): PDF, JPEG or PNG by content, within the size limit."""
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    document = documents.document_add(actor=request.user, talent=talent, kind=kind, title=title, upload=file)
    return Status(201, document)


@router.get("/documents/{uuid:document_id}", openapi_extra=api_access("scoped"))
def talent_document_download(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    """The document's file, as an attachment; every read is audited."""
    document, data = documents.document_read(
        viewer=request.user, document_id=document_id, source_ip=request_ip(request)
    )
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.display_name) or "attachment"
    return response


from . import api_clashes  # noqa: E402, F401  (the office's duplicates, on this router)

# --- the register of talent programmes ----------------------------------------------------------------------


class ProgrammeOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    issuer: str
    active: bool


class ProgrammeChangeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    level: Literal["national", "provincial", "city", "district"]
    issuer: str = Field("", max_length=100)
    active: bool = True


class ProgrammeIn(ProgrammeChangeIn):
    code: str = Field(min_length=2, max_length=60, pattern=r"^[a-z0-9][-a-z0-9]*$")


@router.get("/programmes", response=list[ProgrammeOut], openapi_extra=api_access("admin"))
def programmes_list(request: AuthedRequest) -> object:
    """The register of talent programmes (national, provincial, city, district) the programme facts read."""
    require_perm(request.user, TalentPerm.VIEW)
    return programmes.programmes()


@router.post("/programmes", response={201: ProgrammeOut}, openapi_extra=api_access("admin"))
def programmes_add(request: AuthedRequest, payload: ProgrammeIn) -> object:
    values = payload.dict()
    made = programmes.programme_add(actor=request.user, code=values.pop("code"), values=values)
    return Status(201, made)


@router.put("/programmes/{code}", response=ProgrammeOut, openapi_extra=api_access("admin"))
def programmes_change(request: AuthedRequest, code: str, payload: ProgrammeChangeIn) -> object:
    require_perm(request.user, TalentPerm.PROGRAMME_MANAGE)
    programme = TalentProgramme.objects.filter(code=code).first()
    if programme is None:
        raise NotFound()
    return programmes.programme_change(actor=request.user, programme=programme, values=payload.dict())

"""The certification API: the talent's own certification; staff read a talent's history, certify (the one
way to set a grade or tier), renew, and read and decide proposals and expiring certifications — all within
their data scope."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.pagination import Pages
from talentcloud.common.access import api_access

from . import selectors, services

router = Router(tags=["certification"])


class CertificationOut(Schema):
    id: uuid.UUID
    talent_id: uuid.UUID
    grade: str
    tier: str
    basis: str
    status: str
    effective_from: date
    effective_to: date | None
    document_number: str


class StaffCertificationOut(CertificationOut):
    reason: str
    decided_by: str

    @staticmethod
    def resolve_decided_by(obj: object) -> str:
        user = getattr(obj, "decided_by", None)
        return (user.display_name or user.username) if user is not None else ""


class HistoryOut(Schema):
    talent_id: uuid.UUID
    grade: str
    tier: str
    history: list[CertificationOut]


class StaffHistoryOut(Schema):
    talent_id: uuid.UUID
    grade: str
    tier: str
    history: list[StaffCertificationOut]


class CertifyIn(Schema):
    """A staff certification: grade and tier ("" for none), what it rests on, its validity (the last valid
    day; three years when not given) and document; a reason is required when the grade or tier goes down."""

    model_config = ConfigDict(extra="forbid")

    grade: str = ""
    tier: str = ""
    basis: Literal["decision", "programme"] = "decision"
    effective_from: date | None = None
    effective_to: date | None = None
    document_number: str = Field("", max_length=100)
    reason: str = Field("", max_length=4000)


class ProposalOut(Schema):
    id: int
    talent_id: uuid.UUID
    grade: str
    current_grade: str
    rule_id: int
    run_on: date


class ProposalDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirm", "dismiss"]


def _history(talent: object, history: list[object]) -> dict[str, object]:
    return {
        "talent_id": getattr(talent, "pk", None),
        "grade": getattr(talent, "grade", ""),
        "tier": getattr(talent, "tier", ""),
        "history": history,
    }


@router.get("/me", response=HistoryOut, openapi_extra=api_access("own"))
def certification_mine(request: HttpRequest) -> object:
    """The signed-in talent's grade, tier and certification history (basis and validity)."""
    talent, history = selectors.own_history(viewer=request.user)
    return _history(talent, list(history))


@router.get("/talents/{uuid:talent_id}", response=StaffHistoryOut, openapi_extra=api_access("scoped"))
def certification_history(request: HttpRequest, talent_id: uuid.UUID) -> object:
    talent, history = selectors.talent_history(viewer=request.user, talent_id=talent_id)
    return _history(talent, list(history))


@router.post(
    "/talents/{uuid:talent_id}", response={201: StaffCertificationOut}, openapi_extra=api_access("scoped")
)
def certification_certify(request: AuthedRequest, talent_id: uuid.UUID, payload: CertifyIn) -> object:
    """Certify a talent: the only way to change a grade or tier (entitlements re-evaluated at once)."""
    talent, _history_rows = selectors.talent_history(viewer=request.user, talent_id=talent_id)
    row = services.certify(actor=request.user, talent=talent, decision=services.Decision(**payload.dict()))
    return Status(201, row)


@router.post(
    "/{uuid:certification_id}/renew",
    response={201: StaffCertificationOut},
    openapi_extra=api_access("scoped"),
)
def certification_renew(request: AuthedRequest, certification_id: uuid.UUID) -> object:
    """到期复核: the same grade and tier again from the day after the current validity ends."""
    certification = selectors.certification_get(viewer=request.user, certification_id=certification_id)
    return Status(201, services.renew(actor=request.user, certification=certification))


@router.get("/expiring", response=list[StaffCertificationOut], openapi_extra=api_access("scoped"))
@paginate(Pages, page_size=50)
def certification_expiring(request: HttpRequest) -> object:
    return selectors.expiring(viewer=request.user)


@router.get("/proposals", response=list[ProposalOut], openapi_extra=api_access("scoped"))
@paginate(Pages, page_size=50)
def certification_proposals(request: HttpRequest) -> object:
    return selectors.proposals(viewer=request.user)


@router.post(
    "/proposals/{int:proposal_id}", response=StaffCertificationOut | None, openapi_extra=api_access("scoped")
)
def certification_proposal_decide(
    request: AuthedRequest, proposal_id: int, payload: ProposalDecisionIn
) -> object:
    """Confirm a proposed grade (certified through the service) or dismiss it."""
    proposal = selectors.proposal_get(viewer=request.user, proposal_id=proposal_id)
    if payload.decision == "confirm":
        return services.proposal_confirm(actor=request.user, proposal=proposal)
    services.proposal_dismiss(actor=request.user, proposal=proposal)
    return None

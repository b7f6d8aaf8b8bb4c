"""API operations of the office's duplicates (ADR 0010), on the talents router: ID numbers and credit codes
written outside the writer's scope, merged or kept apart by holders of ``clash.resolve``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict

from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import api_access
from talentcloud.enterprises import clashes as enterprise_clashes

from . import clashes as talent_clashes
from .api import router


class DifferenceOut(Schema):
    field: str
    label: str
    new: str
    existing: str


class ClashOut(Schema):
    id: uuid.UUID
    kind: str
    new_id: uuid.UUID
    new_name: str
    existing_id: uuid.UUID
    existing_name: str
    via: str
    raised_at: datetime
    differences: list[DifferenceOut]


class MergeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    take: list[str] = []
    note: str = ""


class ApartIn(Schema):
    model_config = ConfigDict(extra="forbid")

    number: str = ""  # the new record's right ID number or credit code, where the existing one keeps it
    note: str = ""


def _out(kind: str, clash: Any, module: Any) -> dict[str, Any]:
    return {
        "id": clash.pk,
        "kind": kind,
        "new_id": clash.new_id,
        "new_name": clash.new.name,
        "existing_id": clash.existing_id,
        "existing_name": clash.existing.name,
        "via": clash.via,
        "raised_at": clash.raised_at,
        "differences": [d.__dict__ for d in module.clash_differences(clash)],
    }


@router.get("/clashes", response=list[ClashOut], openapi_extra=api_access("admin"))
def clashes_list(request: AuthedRequest) -> object:
    """Open duplicates, ID numbers first, then credit codes."""
    talents = talent_clashes.clash_list(viewer=request.user)[:200]
    enterprises = enterprise_clashes.clash_list(viewer=request.user)[:200]
    return [_out("talent", c, talent_clashes) for c in talents] + [
        _out("enterprise", c, enterprise_clashes) for c in enterprises
    ]


@router.get("/clashes/talents/{uuid:clash_id}", response=ClashOut, openapi_extra=api_access("admin"))
def talent_clash_detail(request: AuthedRequest, clash_id: uuid.UUID) -> object:
    return _out("talent", talent_clashes.clash_get(viewer=request.user, clash_id=clash_id), talent_clashes)


@router.post(
    "/clashes/talents/{uuid:clash_id}/merge", response=dict[str, str], openapi_extra=api_access("admin")
)
def talent_clash_merge(request: AuthedRequest, clash_id: uuid.UUID, payload: MergeIn) -> object:
    """Merge the new record into the existing one (``take``: fields whose new value the existing takes)."""
    kept = talent_clashes.clash_merge(
        actor=request.user, clash_id=clash_id, take=payload.take, note=payload.note
    )
    return {"status": "merged", "talent_id": str(kept.pk)}


@router.post(
    "/clashes/talents/{uuid:clash_id}/keep-apart", response=dict[str, str], openapi_extra=api_access("admin")
)
def talent_clash_keep_apart(request: AuthedRequest, clash_id: uuid.UUID, payload: ApartIn) -> object:
    kept = talent_clashes.clash_keep_apart(
        actor=request.user, clash_id=clash_id, id_number=payload.number, note=payload.note
    )
    return {"status": "apart", "talent_id": str(kept.pk)}


@router.get("/clashes/enterprises/{uuid:clash_id}", response=ClashOut, openapi_extra=api_access("admin"))
def enterprise_clash_detail(request: AuthedRequest, clash_id: uuid.UUID) -> object:
    clash = enterprise_clashes.clash_get(viewer=request.user, clash_id=clash_id)
    return _out("enterprise", clash, enterprise_clashes)


@router.post(
    "/clashes/enterprises/{uuid:clash_id}/merge", response=dict[str, str], openapi_extra=api_access("admin")
)
def enterprise_clash_merge(request: AuthedRequest, clash_id: uuid.UUID, payload: MergeIn) -> object:
    kept = enterprise_clashes.clash_merge(
        actor=request.user, clash_id=clash_id, take=payload.take, note=payload.note
    )
    return {"status": "merged", "enterprise_id": str(kept.pk)}


@router.post(
    "/clashes/enterprises/{uuid:clash_id}/keep-apart",
    response=dict[str, str],
    openapi_extra=api_access("admin"),
)
def enterprise_clash_keep_apart(request: AuthedRequest, clash_id: uuid.UUID, payload: ApartIn) -> object:
    kept = enterprise_clashes.clash_keep_apart(
        actor=request.user, clash_id=clash_id, credit_code=payload.number, note=payload.note
    )
    return {"status": "apart", "enterprise_id": str(kept.pk)}

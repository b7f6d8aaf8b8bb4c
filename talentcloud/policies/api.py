"""Policies through the API: the library (public) and the calculator (own archive, or a talent in scope)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from talentcloud.common.access import api_access
from talentcloud.common.errors import NotFound
from talentcloud.talents.selectors import talent_get, talent_own_archive

from .engine import Verdict, calculate
from .models import Policy, PolicyStatus

router = Router(tags=["policies"])


class PolicyOut(Schema):
    code: str
    version: int
    title: str
    title_en: str
    issuer: str
    document_number: str
    source_url: str
    target: str
    effective_from: date
    effective_to: date | None
    exclusion_group: str
    rule: dict[str, Any]
    benefit: dict[str, Any]


@router.get("", response=list[PolicyOut], openapi_extra=api_access("public"), auth=None)
def policies_list(request: HttpRequest) -> object:
    return Policy.objects.filter(status=PolicyStatus.PUBLISHED).order_by("code")


@router.get("/policy/{code}", response=PolicyOut, openapi_extra=api_access("public"), auth=None)
def policies_detail(request: HttpRequest, code: str) -> object:
    return get_object_or_404(Policy, code=code, status=PolicyStatus.PUBLISHED)


class ClauseOut(Schema):
    path: str
    fact: str
    status: str
    actual: str
    required: str
    reason: str


class VerdictOut(Schema):
    policy: str
    version: int
    title: str
    status: str
    amount: str | None
    period: str | None
    yearly: str | None
    entitlement: str
    excluded_by: str | None
    reasons: list[str]
    clauses: list[ClauseOut]


def _out(verdict: Verdict) -> dict[str, Any]:
    return {
        "policy": verdict.policy.code,
        "version": verdict.policy.version,
        "title": str(verdict.policy),
        "status": verdict.status,
        "amount": str(verdict.amount.per_period) if verdict.amount else None,
        "period": verdict.amount.period if verdict.amount else None,
        "yearly": str(verdict.amount.yearly) if verdict.amount else None,
        "entitlement": verdict.entitlement(),
        "excluded_by": verdict.excluded_by.code if verdict.excluded_by else None,
        "reasons": verdict.reasons + verdict.notes,
        "clauses": [{**c.__dict__, "reason": c.reason()} for c in verdict.outcome.clauses],
    }


@router.get("/calculator/me", response=list[VerdictOut], openapi_extra=api_access("own"))
def calculator_me(request: HttpRequest) -> object:
    talent = talent_own_archive(viewer=request.user)
    if talent is None:
        raise NotFound()
    return [_out(v) for v in calculate(talent=talent)]


@router.get("/calculator/{uuid:talent_id}", response=list[VerdictOut], openapi_extra=api_access("scoped"))
def calculator_for(request: HttpRequest, talent_id: uuid.UUID) -> object:
    talent = talent_get(viewer=request.user, talent_id=talent_id)
    return [_out(v) for v in calculate(talent=talent)]

"""The talent code API: the talent's code (a fresh token, entitlements) and history with reports; verifiers
verify; the office reads a talent's codes, issues, revokes and registers verifiers with their scenes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.pagination import Pages
from talentcloud.common.access import api_access
from talentcloud.common.errors import NotFound, ValidationFailed

from . import selectors, services
from .enums import IssueBasis
from .fastpath import VerifierBearer, VerifierSession
from .limits import code_throttle, throttle_verifier
from .models import Scene, TalentCode, Verification
from .permissions import CodePerm

router = Router(tags=["talentcode"])


class CodeEntitlementOut(Schema):
    scene: str
    name: str
    entitled: bool


class MyCodeOut(Schema):
    has_code: bool
    issued_at: datetime | None = None
    token: str = ""
    expires_at: int = 0
    show_photo: bool = False
    entitlements: list[CodeEntitlementOut] = []


class CodeHistoryOut(Schema):
    id: uuid.UUID
    at: datetime
    verifier: str
    scene: str
    result: str
    reported: bool

    @staticmethod
    def resolve_verifier(obj: Verification) -> str:
        return obj.verifier.unit.display_name

    @staticmethod
    def resolve_scene(obj: Verification) -> str:
        return obj.scene.code

    @staticmethod
    def resolve_reported(obj: Verification) -> bool:
        return obj.reported_at is not None


class CodeReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=500)


class CodeVerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(..., max_length=200)
    scene: str = Field(..., max_length=40)


class CodeVerifyOut(Schema):
    result: str
    valid: bool
    message: str
    scene: str
    masked_name: str = ""
    until: date | None = None
    photo: str = ""


class TalentCodeOut(Schema):
    id: uuid.UUID
    talent_id: uuid.UUID
    status: str
    basis: str
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: str


class CodeRevokeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., max_length=500)


class CodeVerifierIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit_code: str = Field(..., max_length=40)
    scenes: list[str] = Field(..., max_length=20)
    active: bool = True


class CodeVerifierOut(Schema):
    id: int
    unit_code: str
    unit: str
    scenes: list[str]
    active: bool


def _entitlements(talent: object) -> list[dict[str, object]]:
    return [
        {"scene": e.scene.code, "name": e.scene.display_name, "entitled": e.entitled}
        for e in services.entitlements(talent)  # type: ignore[arg-type]
    ]


@router.get("/me", response=MyCodeOut, openapi_extra=api_access("own"))
def talentcode_mine(request: HttpRequest) -> object:
    """The signed-in talent's code: a fresh token (its expiry in Unix seconds) and what it entitles to."""
    talent, code = selectors.own_code(viewer=request.user)
    if code is None:
        return {"has_code": False}
    token, expiry = services.token_for(code)
    return {
        "has_code": True,
        "issued_at": code.issued_at,
        "token": token,
        "expires_at": expiry,
        "show_photo": code.show_photo,
        "entitlements": _entitlements(talent),
    }


@router.get("/me/history", response=list[CodeHistoryOut], openapi_extra=api_access("own"))
@paginate(Pages, page_size=50)
def talentcode_history(request: HttpRequest) -> object:
    """Where and when the talent's codes were verified, newest first."""
    return selectors.own_history(viewer=request.user)


@router.post(
    "/me/history/{uuid:verification_id}/report", response=CodeHistoryOut, openapi_extra=api_access("own")
)
def talentcode_report(request: AuthedRequest, verification_id: uuid.UUID, payload: CodeReportIn) -> object:
    """Report a verification the talent does not recognise (the office sees it)."""
    verification = selectors.own_verification(viewer=request.user, verification_id=verification_id)
    return services.report(actor=request.user, verification=verification, note=payload.note)


@router.post(
    "/verify",
    response=CodeVerifyOut,
    auth=[VerifierBearer(), VerifierSession()],
    openapi_extra=api_access("scoped", rate_limit=settings.RATELIMIT_TALENT_CODE_PER_CODE),
)
def talentcode_verify(request: AuthedRequest, payload: CodeVerifyIn) -> object:
    """Verify a scanned code for one of the caller's unit's scenes: that scene's entitlement only, or why not
    (expired, revoked, not_entitled, forged, unknown_key); every call is recorded and audited."""
    throttle_verifier(request, request.user.unit_id)
    answer = services.verify(
        actor=request.user, token=payload.token, scene_code=payload.scene, throttle=code_throttle(request)
    )
    # Exactly ``CodeVerifyOut``, written here rather than validated and rendered by the schema: the answer is
    # the hottest in the project (ADR 0039); a test holds it to the schema.
    return JsonResponse(
        {
            "result": answer.result,
            "valid": answer.valid,
            "message": str(answer.message),
            "scene": answer.scene.code,
            "masked_name": answer.masked_name,
            "until": answer.until.isoformat() if answer.until is not None else None,
            "photo": answer.photo,
        }
    )


@router.get("/talents/{uuid:talent_id}", response=list[TalentCodeOut], openapi_extra=api_access("scoped"))
def talentcode_talent(request: HttpRequest, talent_id: uuid.UUID) -> object:
    """A talent's codes, newest first (staff, within their scope)."""
    _talent, codes = selectors.talent_codes(viewer=request.user, talent_id=talent_id)
    return codes


@router.post(
    "/talents/{uuid:talent_id}/issue", response={201: TalentCodeOut}, openapi_extra=api_access("scoped")
)
def talentcode_issue(request: AuthedRequest, talent_id: uuid.UUID) -> object:
    """Issue a new code to a certified talent (the one before it stops working)."""
    require_perm(request.user, CodePerm.MANAGE)
    talent, _codes = selectors.talent_codes(viewer=request.user, talent_id=talent_id)
    return Status(201, services.issue(actor=request.user, talent=talent, basis=IssueBasis.OFFICE))


@router.post("/codes/{uuid:code_id}/revoke", response=TalentCodeOut, openapi_extra=api_access("scoped"))
def talentcode_revoke(request: AuthedRequest, code_id: uuid.UUID, payload: CodeRevokeIn) -> TalentCode:
    """Revoke a code: every verification after this is refused as revoked."""
    require_perm(request.user, CodePerm.MANAGE)
    code = selectors.code_get(viewer=request.user, code_id=code_id)
    return services.revoke(actor=request.user, code=code, reason=payload.reason)


def _verifier_row(v: object) -> dict[str, object]:
    unit = v.unit  # type: ignore[attr-defined]
    return {
        "id": v.pk,  # type: ignore[attr-defined]
        "unit_code": unit.code,
        "unit": unit.display_name,
        "scenes": sorted(s.code for s in v.scenes.all()),  # type: ignore[attr-defined]
        "active": v.active,  # type: ignore[attr-defined]
    }


@router.get("/verifiers", response=list[CodeVerifierOut], openapi_extra=api_access("admin"))
def talentcode_verifiers(request: HttpRequest) -> object:
    return [_verifier_row(v) for v in selectors.verifiers(viewer=request.user)]


@router.post("/verifiers", response=CodeVerifierOut, openapi_extra=api_access("admin"))
def talentcode_verifier_save(request: AuthedRequest, payload: CodeVerifierIn) -> object:
    """Register an external unit as a verifier, or change its scenes (every scene code must exist)."""
    require_perm(request.user, CodePerm.MANAGE)
    unit = selectors.external_units().filter(code=payload.unit_code).first()
    if unit is None:
        raise ValidationFailed(fields={"unit_code": [_("No active external unit has this code.")]})
    scenes = list(Scene.objects.filter(code__in=payload.scenes, active=True))
    unknown = sorted(set(payload.scenes) - {s.code for s in scenes})
    if unknown:
        raise ValidationFailed(
            fields={"scenes": [_("Unknown scene: %(codes)s") % {"codes": ", ".join(unknown)}]}
        )
    return _verifier_row(
        services.verifier_save(actor=request.user, unit=unit, scenes=scenes, active=payload.active)
    )


class CodeSceneOut(Schema):
    code: str
    name: str
    name_en: str
    rule: dict[str, Any]
    active: bool


class CodeSceneRuleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rule: dict[str, Any]


@router.get("/scenes", response=list[CodeSceneOut], openapi_extra=api_access("admin"))
def talentcode_scenes(request: HttpRequest) -> object:
    """The card's scenes and who each entitles (a rule in the rule language)."""
    require_perm(request.user, CodePerm.MANAGE)
    return list(selectors.scenes(active_only=False))


@router.put("/scenes/{code}/rule", response=CodeSceneOut, openapi_extra=api_access("admin"))
def talentcode_scene_rule(request: AuthedRequest, code: str, payload: CodeSceneRuleIn) -> object:
    """Change who a scene entitles: the rule is checked clause by clause (422 with each problem at its
    path), audited, and applies from the next show or verification."""
    require_perm(request.user, CodePerm.MANAGE)
    scene = Scene.objects.filter(code=code).first()
    if scene is None:
        raise NotFound(_("No such scene."))
    return services.scene_rule_set(actor=request.user, scene=scene, rule=payload.rule)

from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from talentcloud.common.access import api_access

from . import selectors, services
from .types import AuthedRequest

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    unit_code: str | None
    roles: list[str]
    permissions: list[str]


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    parent_code: str | None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenIn(Schema):
    name: str
    days: int = 30
    otp_code: str | None = None


class TokenCreatedOut(TokenOut):
    token: str


class StepUpIn(Schema):
    password: str = Field("", max_length=128)
    otp: str = Field("", max_length=10, description="the current code of your authenticator app")


class StepUpOut(Schema):
    confirmed_at: datetime
    valid_until: datetime


@router.get("/me", response=MeOut, openapi_extra=api_access("own"))
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": user.display_name,  # type: ignore[union-attr]
        "unit_code": user.unit.code if user.unit else None,  # type: ignore[union-attr]
        "roles": sorted(role.code for role in user.roles.all()),  # type: ignore[union-attr]
        "permissions": sorted(user.permission_codes()),  # type: ignore[union-attr]
    }


@router.get("/org-units", response=list[OrgUnitOut], openapi_extra=api_access("shell"))
def org_units(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "id": u.pk,
            "code": u.code,
            "name": u.name,
            "name_en": u.name_en,
            "kind": u.kind,
            "parent_code": u.parent.code if u.parent else None,
        }
        for u in selectors.orgunit_list(viewer=request.user)
    ]


@router.get("/tokens", response=list[TokenOut], openapi_extra=api_access("own"))
def tokens_list(request: AuthedRequest) -> object:
    return selectors.token_list(viewer=request.user)


@router.post("/tokens", response={201: TokenCreatedOut}, openapi_extra=api_access("own"))
def tokens_create(request: HttpRequest, payload: TokenIn) -> Status:
    token, clear = services.token_create(
        actor=request.user,  # type: ignore[arg-type]
        name=payload.name,
        days=payload.days,
        otp_code=payload.otp_code,
    )
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": clear})


@router.delete("/tokens/{token_id}", response={204: None}, openapi_extra=api_access("own"))
def tokens_revoke(request: HttpRequest, token_id: int) -> Status:
    services.token_revoke(actor=request.user, token_id=token_id)  # type: ignore[arg-type]
    return Status(204, None)


# A locked account is answered 429 (locked_out): the lockout is this operation's rate limit.
@router.post("/auth/step-up", response=StepUpOut, openapi_extra=api_access("own", rate_limit="5 failures"))
def step_up(request: HttpRequest, payload: StepUpIn) -> dict[str, datetime]:
    """Confirm it is you before a call that returns personal data in clear (a person's data copy, an
    unmasked answer). Staff send the current code of their authenticator app (``otp``; a ``password`` sent
    with it is checked too); talents and enterprise HR send their ``password``. Holds for 5 minutes, for
    this token only (or this session). Failures count toward the account's lockout like failed logins."""
    at = services.step_up_confirm(
        request=request,
        actor=request.user,  # type: ignore[arg-type]
        password=payload.password,
        otp=payload.otp.strip(),
        token=getattr(request, "api_token", None),
    )
    return {"confirmed_at": at, "valid_until": at + timedelta(seconds=settings.PRIVACY_REAUTH_SECONDS)}

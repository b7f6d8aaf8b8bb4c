"""The API root at /api/v1/: authentication, error mapping, and each app's router."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from talentcloud.accounts.api import router as accounts_router
from talentcloud.apikit.schemas import ErrorOut
from talentcloud.audit.api import router as audit_router
from talentcloud.audit.denied import note_exception
from talentcloud.campaigns.api import router as campaigns_router
from talentcloud.certification.api import router as certification_router
from talentcloud.common.access import ACCESS_ATTR
from talentcloud.common.errors import DomainError
from talentcloud.enterprises.api import router as enterprises_router
from talentcloud.matching.api import router as matching_router
from talentcloud.notifications.api import router as notifications_router
from talentcloud.payouts.api import router as payouts_router
from talentcloud.policies.api import router as policies_router
from talentcloud.programs.api import router as programs_router
from talentcloud.recruitment.api import router as recruitment_router
from talentcloud.servicehall.api import router as servicehall_router
from talentcloud.stations.api import router as stations_router
from talentcloud.talentcode.api import router as talentcode_router
from talentcloud.talents.api import router as talents_router

from .auth import API_AUTH


def _public_docs(view: Any) -> Any:

    view = login_not_required(view)
    setattr(view, ACCESS_ATTR, "public")
    return view


# The error answers every operation may give, each with the body {"code", "message", "fields"} (ErrorOut).
ERROR_ANSWERS = {
    "400": "Bad request: the request could not be read (a NUL character anywhere, a malformed form).",
    "401": "Not signed in, or the API token is missing, unknown, expired or revoked.",
    "403": "Signed in, but without the permission or the scope this needs.",
    "404": "No such record, or none the caller may see.",
    "409": "Conflict: someone changed the record first, or it is in a state that does not allow this.",
    "422": "Some fields are not valid; `fields` names each with its messages.",
    "429": "Too many requests; wait and try again.",
}
RATE_LIMIT_EXTRA = "x-rate-limit"  # openapi_extra key an operation with a rate limit carries (its rate)


class TalentCloudAPI(NinjaAPI):
    """The API whose OpenAPI document lists every status code an operation answers with, not only its
    successes: 400, 403, 404 and 422 everywhere; 401 where authentication is needed; 409 for writes;
    429 where the operation declares a rate limit."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                codes = {"400", "403", "404", "422"}
                if operation.get("security"):
                    codes.add("401")
                if method.lower() != "get":
                    codes.add("409")
                if operation.get(RATE_LIMIT_EXTRA):
                    codes.add("429")
                responses = operation.setdefault("responses", {})
                for code in sorted(codes):
                    responses.setdefault(code, {"description": ERROR_ANSWERS[code], **body})
        return schema


api = TalentCloudAPI(
    title="Talent Cloud API",
    version="1",
    description="人才创业创新云服务平台 API. Authenticate with `Authorization: Bearer <token>`.",
    urls_namespace="api",
    auth=API_AUTH,
    docs_decorator=_public_docs,
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    note_exception(request, exc)  # an OutOfScope 404 is recorded as a denied attempt (audit/denied.py)
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthorized", _("Sign in or send a valid, unexpired API token."))


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return _error(request, 422, "invalid", _("Some fields are not valid."), fields)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "error", str(exc))


api.add_router("/", accounts_router)
api.add_router("/talents", talents_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/audit", audit_router)
api.add_router("/hall", servicehall_router)
api.add_router("/notifications", notifications_router)
api.add_router("/policies", policies_router)
api.add_router("/certification", certification_router)
api.add_router("/recruitment", recruitment_router)
api.add_router("/payouts", payouts_router)
api.add_router("/talentcode", talentcode_router)
api.add_router("/programs", programs_router)
api.add_router("/matching", matching_router)
api.add_router("/stations", stations_router)
api.add_router("/campaigns", campaigns_router)

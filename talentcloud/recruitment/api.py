"""The recruitment API: an enterprise posts and follows its demand; parks, streets and the office review it
within their scope; the office previews, sets, freezes and publishes the catalogue; anyone reads a
published catalogue."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.pagination import Pages
from talentcloud.common.access import api_access
from talentcloud.common.errors import NotFound, ValidationFailed
from talentcloud.enterprises.models import IndustryChain

from . import selectors, services
from .models import Catalogue, Major, Post, Skill
from .permissions import RecruitPerm
from .workflow import demand_transition

router = Router(tags=["recruitment"])


class DemandOut(Schema):
    id: uuid.UUID
    enterprise: str
    post_code: str
    post_name: str
    ref: str
    title: str
    headcount: int
    degree: str
    majors: list[str]
    skills: list[str]
    experience_years: int
    salary_kind: str
    salary_min: int | None
    salary_max: int | None
    annual_min: int | None
    annual_max: int | None
    location: str
    deadline: dt.date
    state: str
    revision: int

    @staticmethod
    def resolve_enterprise(obj: object) -> str:
        return obj.enterprise.name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_post_code(obj: object) -> str:
        return obj.post.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_post_name(obj: object) -> str:
        return obj.post.name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_majors(obj: object) -> list[str]:
        return [m.code for m in obj.majors.all()]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_skills(obj: object) -> list[str]:
        return [s.term for s in obj.skills.all()]  # type: ignore[attr-defined]


class DemandIn(Schema):
    """A demand: post by its code, majors by code, skills by term; salary monthly or annual (yuan) or
    negotiable; ``chain`` by its code."""

    model_config = ConfigDict(extra="forbid")

    post: str = Field(..., min_length=1, max_length=32)
    ref: str = Field("", max_length=40)
    title: str = Field("", max_length=100)
    headcount: int = Field(..., ge=1, le=10_000)
    degree: Literal["junior_college", "bachelor", "master", "doctor"]
    majors: list[str] = Field(default_factory=list, max_length=20)
    skills: list[str] = Field(default_factory=list, max_length=30)
    experience_years: int = Field(0, ge=0, le=50)
    salary_kind: Literal["monthly", "annual", "negotiable"]
    salary_min: int | None = Field(None, ge=0, le=100_000_000)
    salary_max: int | None = Field(None, ge=0, le=100_000_000)
    chain: str = Field("", max_length=40)
    location: str = Field("", max_length=100)
    deadline: dt.date


class DemandActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["approve", "return", "resubmit", "withdraw", "fill"]
    revision: int = Field(..., ge=0)
    note: str = Field("", max_length=2000)


def _input(payload: DemandIn) -> services.DemandInput:
    errors: dict[str, list[str | Promise]] = {}
    post = Post.objects.filter(code=payload.post).first()
    if post is None:
        errors["post"] = [_("This post is no longer in the office's list.")]
    majors = list(Major.objects.filter(code__in=payload.majors))
    if len(majors) != len(set(payload.majors)):
        errors["majors"] = [
            _("Not in the discipline catalogue: %(codes)s.") % {"codes": "、".join(payload.majors)}
        ]
    skills = list(Skill.objects.filter(term__in=payload.skills, active=True))
    if len(skills) != len(set(payload.skills)):
        errors["skills"] = [
            _("Not in the skills dictionary: %(terms)s.") % {"terms": "、".join(payload.skills)}
        ]
    chain = None
    if payload.chain:
        chain = IndustryChain.objects.filter(code=payload.chain).first()
        if chain is None:
            errors["chain"] = [_("Not an industry chain: %(code)s.") % {"code": payload.chain}]
    if errors:
        raise ValidationFailed(fields=errors)
    return services.DemandInput(
        post=post,
        ref=payload.ref,
        title=payload.title,
        headcount=payload.headcount,
        degree=payload.degree,
        majors=majors,
        skills=skills,
        experience_years=payload.experience_years,
        salary_kind=payload.salary_kind,
        salary_min=payload.salary_min,
        salary_max=payload.salary_max,
        chain=chain,
        location=payload.location,
        deadline=payload.deadline,
    )


@router.get("/demand", response=list[DemandOut], openapi_extra=api_access("scoped"))
@paginate(Pages)
def demand_list(request: AuthedRequest, state: str = "", year: int | None = Query(None, ge=2000, le=2100)):
    return selectors.demand_list(viewer=request.user, state=state, year=year).prefetch_related(
        "majors", "skills"
    )


@router.post("/demand", response={201: DemandOut}, openapi_extra=api_access("own"))
def demand_post(request: AuthedRequest, payload: DemandIn):
    require_perm(request.user, RecruitPerm.DEMAND_POST)
    enterprise = selectors.own_enterprise(request.user)
    if enterprise is None:
        raise NotFound()
    demand = services.demand_create(actor=request.user, enterprise=enterprise, data=_input(payload))
    return 201, demand


@router.get("/demand/{demand_id}", response=DemandOut, openapi_extra=api_access("scoped"))
def demand_get(request: AuthedRequest, demand_id: uuid.UUID):
    return selectors.demand_get(viewer=request.user, demand_id=demand_id)


@router.post("/demand/{demand_id}/actions", response=DemandOut, openapi_extra=api_access("scoped"))
def demand_action(request: AuthedRequest, demand_id: uuid.UUID, payload: DemandActionIn):
    demand = selectors.demand_get(viewer=request.user, demand_id=demand_id)
    return demand_transition(
        actor=request.user,
        demand=demand,
        action=payload.action,
        expected_revision=payload.revision,
        note=payload.note,
    )


class ShortagePartOut(Schema):
    key: str
    raw: str
    score: Decimal
    weight: int
    contribution: Decimal


class CatalogueEntryOut(Schema):
    code: str
    name: str
    demand: int
    supply: int
    index: Decimal
    stars: int
    previous_stars: int | None
    first_five_star: bool
    breakdown: list[ShortagePartOut]


class CatalogueOut(Schema):
    year: int
    state: str
    weights: dict[str, int]
    cutoff_mode: str
    cutoffs: list[float]
    xlsx_sm3: str
    pdf_sm3: str
    entries: list[CatalogueEntryOut]


class CatalogueSettingsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    weights: dict[str, int]
    cutoff_mode: Literal["fixed", "quantile"]
    cutoffs: list[float] = Field(..., max_length=5)


class CatalogueMoveOut(Schema):
    code: str
    name: str
    index_before: Decimal | None
    index_after: Decimal
    stars_before: int | None
    stars_after: int
    moved: bool


def _out(catalogue: Catalogue) -> dict[str, object]:
    return {
        "year": catalogue.year,
        "state": catalogue.state,
        "weights": catalogue.weights,
        "cutoff_mode": catalogue.cutoff_mode,
        "cutoffs": catalogue.cutoffs,
        "xlsx_sm3": catalogue.xlsx_sm3,
        "pdf_sm3": catalogue.pdf_sm3,
        "entries": selectors.catalogue_rows(catalogue),
    }


@router.get("/catalogues", response=list[int], openapi_extra=api_access("public"), auth=None)
def catalogue_years(request: AuthedRequest):
    """The years of the published catalogues."""
    return list(selectors.published_catalogues().values_list("year", flat=True))


@router.get("/catalogues/{year}", response=CatalogueOut, openapi_extra=api_access("public"), auth=None)
def catalogue_published(request: AuthedRequest, year: int):
    """A published catalogue: its frozen stars, scores and breakdowns, and the digests of its files."""
    return _out(selectors.published_get(year=year))


def _office_catalogue(request: AuthedRequest, year: int) -> Catalogue:
    require_perm(request.user, RecruitPerm.CATALOGUE_MANAGE)
    return selectors.catalogue_get(year=year)


@router.get("/manage/catalogues/{year}", response=CatalogueOut, openapi_extra=api_access("scoped"))
def catalogue_draft(request: AuthedRequest, year: int):
    return _out(_office_catalogue(request, year))


@router.post(
    "/manage/catalogues/{year}/preview", response=list[CatalogueMoveOut], openapi_extra=api_access("scoped")
)
def catalogue_preview(request: AuthedRequest, year: int, payload: CatalogueSettingsIn):
    catalogue = _office_catalogue(request, year)
    errors = services.settings_errors(payload.weights, payload.cutoff_mode, payload.cutoffs)
    if errors:
        raise ValidationFailed(fields=errors)
    return selectors.catalogue_preview(
        catalogue, weights=payload.weights, mode=payload.cutoff_mode, cutoffs=payload.cutoffs
    )


@router.put("/manage/catalogues/{year}/settings", response=CatalogueOut, openapi_extra=api_access("scoped"))
def catalogue_settings(request: AuthedRequest, year: int, payload: CatalogueSettingsIn):
    catalogue = _office_catalogue(request, year)
    services.catalogue_settings(
        actor=request.user,
        catalogue=catalogue,
        weights=payload.weights,
        mode=payload.cutoff_mode,
        cutoffs=payload.cutoffs,
    )
    return _out(catalogue)


@router.post("/manage/catalogues/{year}/freeze", response=CatalogueOut, openapi_extra=api_access("scoped"))
def catalogue_freeze(request: AuthedRequest, year: int):
    return _out(services.catalogue_freeze(actor=request.user, catalogue=_office_catalogue(request, year)))


@router.post("/manage/catalogues/{year}/publish", response=CatalogueOut, openapi_extra=api_access("scoped"))
def catalogue_publish(request: AuthedRequest, year: int):
    return _out(services.catalogue_publish(actor=request.user, catalogue=_office_catalogue(request, year)))

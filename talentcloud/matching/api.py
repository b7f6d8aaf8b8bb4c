"""The matching API: talents for a demand (masked, explained), posts for the talent, the talent's matching
details and consent, requests for contact and their answers."""

from __future__ import annotations

import uuid

from ninja import Router, Schema
from pydantic import ConfigDict, Field

from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import api_access
from talentcloud.common.errors import NotFound, PermissionDenied, ValidationFailed
from talentcloud.enterprises.models import IndustryChain
from talentcloud.recruitment.models import Skill

from . import selectors, services
from .access import demand_for, demand_to_contact_for, is_talent
from .models import ContactRequest
from .ranking import Match

router = Router(tags=["matching"])


class MatchingExplanationOut(Schema):
    skills: list[str]
    major: str
    degree: str
    post: str
    chain: str
    keywords: list[str]
    missing_skills: list[str]
    years_short: int


class MatchingTalentMatchOut(Schema):
    profile_id: int
    score: float
    name: str
    phone: str
    email: str
    degree: str
    major: str
    post: str
    experience_years: int
    skills: list[str]
    location: str
    summary: str
    unmasked: bool
    contact_state: str
    explanation: MatchingExplanationOut


class MatchingPostMatchOut(Schema):
    demand_id: uuid.UUID
    enterprise: str
    post: str
    title: str
    degree: str
    location: str
    annual_min: int | None
    annual_max: int | None
    score: float
    explanation: MatchingExplanationOut


def _explanation(m: Match) -> MatchingExplanationOut:
    e = m.explanation
    return MatchingExplanationOut(
        skills=e.skills,
        major=e.major,
        degree=e.degree,
        post=e.post,
        chain=e.chain,
        keywords=e.keywords,
        missing_skills=e.missing_skills,
        years_short=e.years_short,
    )


@router.get(
    "/demand/{demand_id}/talents", response=list[MatchingTalentMatchOut], openapi_extra=api_access("scoped")
)
def demand_talents(request: AuthedRequest, demand_id: uuid.UUID):
    demand = demand_for(request.user, demand_id)
    matches = selectors.talents_for_demand(demand)
    return [
        MatchingTalentMatchOut(**vars(s), score=round(m.score, 4), explanation=_explanation(m))
        for s, m in zip(selectors.shown(matches, demand.enterprise_id, demand.pk), matches, strict=True)
    ]


class MatchingContactIn(Schema):
    model_config = ConfigDict(extra="forbid")
    profile_id: int


class MatchingContactOut(Schema):
    id: int
    demand_id: uuid.UUID
    enterprise: str
    post: str
    state: str


def _contact(c: object) -> MatchingContactOut:
    return MatchingContactOut(
        id=c.pk,  # type: ignore[attr-defined]
        demand_id=c.demand_id,  # type: ignore[attr-defined]
        enterprise=c.enterprise.name,  # type: ignore[attr-defined]
        post=c.demand.post.name,  # type: ignore[attr-defined]
        state=c.state,  # type: ignore[attr-defined]
    )


@router.post(
    "/demand/{demand_id}/contact", response={201: MatchingContactOut}, openapi_extra=api_access("own")
)
def demand_contact(request: AuthedRequest, demand_id: uuid.UUID, payload: MatchingContactIn):
    demand = demand_to_contact_for(request.user, demand_id)
    contact = services.contact_request(actor=request.user, demand=demand, profile_id=payload.profile_id)
    return 201, _contact(contact)


def _talent(request: AuthedRequest) -> None:
    if not is_talent(request.user):
        raise PermissionDenied()


@router.get("/me/posts", response=list[MatchingPostMatchOut], openapi_extra=api_access("own"))
def my_posts(request: AuthedRequest):
    _talent(request)
    profile = selectors.own_profile(request.user)
    if profile is None:
        raise NotFound()
    return [
        MatchingPostMatchOut(
            demand_id=m.demand.pk,
            enterprise=m.demand.enterprise,
            post=m.demand.post_name,
            title=m.demand.title,
            degree=m.demand.degree,
            location=m.demand.location,
            annual_min=m.demand.annual_min,
            annual_max=m.demand.annual_max,
            score=round(m.score, 4),
            explanation=_explanation(m),
        )
        for m in selectors.posts_for_profile(profile)
    ]


class MatchingDetailsIn(Schema):
    """Skills by their dictionary terms; ``chain`` by its code ("" for any); the least annual salary in
    yuan (null: not said)."""

    model_config = ConfigDict(extra="forbid")
    skills: list[str] = Field(default_factory=list, max_length=30)
    location: str = Field("", max_length=100)
    chain: str = ""
    salary_floor: int | None = None
    summary: str = Field("", max_length=2000)


class MatchingDetailsOut(Schema):
    skills: list[str]
    location: str
    chain: str
    salary_floor: int | None
    summary: str


@router.put("/me/details", response=MatchingDetailsOut, openapi_extra=api_access("own"))
def my_details(request: AuthedRequest, payload: MatchingDetailsIn):
    _talent(request)
    skills = list(Skill.objects.filter(term__in=payload.skills))
    errors = {}
    unknown = sorted(set(payload.skills) - {s.term for s in skills})
    if unknown:
        errors["skills"] = [f"{services.UNKNOWN_SKILL} {'、'.join(unknown)}"]
    chain = IndustryChain.objects.filter(code=payload.chain).first() if payload.chain else None
    if payload.chain and chain is None:
        errors["chain"] = [str(services.UNKNOWN_CHAIN)]
    if errors:
        raise ValidationFailed(fields=errors)  # type: ignore[arg-type]
    details = services.details_save(
        actor=request.user,
        skills=skills,
        location=payload.location,
        chain=chain,
        salary_floor=payload.salary_floor,
        summary=payload.summary,
    )
    return MatchingDetailsOut(
        skills=sorted(details.skills.values_list("term", flat=True)),
        location=details.location,
        chain=chain.code if chain else "",
        salary_floor=details.salary_floor,
        summary=details.summary,
    )


class MatchingConsentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    granted: bool


class MatchingConsentOut(Schema):
    granted: bool


@router.put("/me/consent", response=MatchingConsentOut, openapi_extra=api_access("own"))
def my_consent(request: AuthedRequest, payload: MatchingConsentIn):
    _talent(request)
    services.consent_give(actor=request.user, granted=payload.granted)
    return MatchingConsentOut(granted=payload.granted)


@router.get("/me/contacts", response=list[MatchingContactOut], openapi_extra=api_access("own"))
def my_contacts(request: AuthedRequest):
    _talent(request)
    return [_contact(c) for c in selectors.requests_for(request.user)]


class MatchingAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    accept: bool


@router.post("/me/contacts/{contact_id}", response=MatchingContactOut, openapi_extra=api_access("own"))
def my_contact_answer(request: AuthedRequest, contact_id: int, payload: MatchingAnswerIn):
    _talent(request)
    contact = services.contact_answer(actor=request.user, request_id=contact_id, accept=payload.accept)
    return _contact(ContactRequest.objects.select_related("enterprise", "demand__post").get(pk=contact.pk))
